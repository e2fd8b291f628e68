// The estimator against OpenAI's cl100k_base (tiktoken, a devDependency used only here) on
// samples of the kinds of text deja sees. Prints the error per sample; fails past the documented
// tolerance.
import { readFileSync } from 'node:fs';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens } from './tokens.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pairs = JSON.parse(read('data/paraphrase-pairs.json')) as { origin: string; similar: string }[];

const source = (file: string) => read(`packages/core/src/${file}`);

/** English, code, JSON, CJK and other scripts; the CJK, European and emoji lines were written for this test. */
const SAMPLES: Record<string, string> = {
  'English questions (dev set, origin)': pairs.map((pair) => pair.origin).join('\n'),
  'English questions (dev set, similar)': pairs.map((pair) => pair.similar).join(' '),
  'English prose (READMEs)': read('README.md') + read('packages/core/README.md'),
  'TypeScript (tenant-cache.ts)': source('tenant-cache.ts'),
  'TypeScript (canonical.ts)': source('keys/canonical.ts'),
  'TypeScript (response-cache.ts)': source('responses/response-cache.ts'),
  'JSON, indented': JSON.stringify(pairs.slice(0, 200), null, 2),
  'JSON, compact': JSON.stringify(pairs.slice(200, 400)),
  Chinese:
    '缓存可以显著降低大语言模型的调用成本。当两个用户提出意思相同的问题时，系统会先计算问题的向量，' +
    '然后在同一个租户和同一个范围内查找最相近的答案。如果相似度超过阈值，就直接返回缓存的结果；' +
    '否则调用模型，并把新的答案写入缓存。每个租户的数据都相互隔离，删除用户时，' +
    '与该用户相关的所有条目都会被清除。今天天气很好，我们一起去公园散步吧。' +
    '这个问题的答案取决于你使用的数据库版本以及服务器的配置。',
  Japanese:
    'キャッシュを使うと、同じ質問に何度もモデルを呼び出す必要がなくなります。' +
    '東京は日本の首都であり、多くの人が毎日電車で通勤しています。' +
    'このライブラリはテナントごとにデータを分けて保存し、ユーザーを削除するとその人のデータもすべて消えます。' +
    '明日の会議は午後三時から始まる予定です。',
  Korean:
    '캐시를 사용하면 같은 질문에 대해 모델을 여러 번 호출할 필요가 없습니다. ' +
    '서울은 대한민국의 수도이며 많은 사람들이 지하철로 출퇴근합니다. ' +
    '이 라이브러리는 테넌트별로 데이터를 나누어 저장합니다.',
  Russian:
    'Кэш позволяет не вызывать модель повторно, если вопрос уже задавали. Москва — столица России. ' +
    'Большие ответы не сохраняются, а запросы на удаление стирают все записи пользователя.',
  'German and French':
    'Der Zwischenspeicher vermeidet wiederholte Aufrufe des Sprachmodells, wenn dieselbe Frage erneut gestellt wird. ' +
    'Größere Antworten werden nicht gespeichert, und Löschanfragen entfernen alle Einträge des Nutzers. ' +
    'Ça coûte très cher, déjà vu.',
  Numbers: 'Order 1234567 shipped 2026-01-02 at 13:45 for $1,299.99 3.14159 265358 979 '.repeat(20),
  Emoji: 'Great job 😀🎉 ✅ 👍🏽 🚀 thanks! ★ → ✓ '.repeat(20),
  // Held out: not used when the weights were fitted.
  'held out: TypeScript (stream-flight.ts)': read('packages/ai-sdk/src/stream-flight.ts'),
  'held out: TypeScript (payload.ts)': source('payload.ts'),
  'held out: English prose (LangChain README)': read('packages/langchain/README.md'),
  'held out: Markdown (AI SDK README)': read('packages/ai-sdk/README.md'),
};

const encoder = get_encoding('cl100k_base');
afterAll(() => encoder.free());

describe('token estimate against cl100k_base', () => {
  const rows: string[] = [];
  afterAll(() => console.log(`estimate vs cl100k:\n${rows.join('\n')}`));

  it.each(Object.entries(SAMPLES))('%s', (name, text) => {
    const exact = encoder.encode_ordinary(text).length;
    const estimate = countTokens(text);
    const error = (estimate - exact) / exact;
    rows.push(
      `${name.padEnd(38)} cl100k ${String(exact).padStart(6)}  estimate ${String(estimate).padStart(6)}  ${(error * 100).toFixed(1)} %`,
    );
    expect(Math.abs(error)).toBeLessThan(TOLERANCE);
  });
});

const TOLERANCE = 0.15;
