import type { z } from 'zod';

/** One thing wrong with one knowledge-base or locale file. */
export interface KnowledgeProblem {
  file: string;
  path: string;
  reason: string;
}

export class KnowledgeBaseError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(
      `The knowledge base has ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p.file}${p.path ? ` at ${p.path}` : ''}: ${p.reason}`).join('\n'),
    );
    this.name = 'KnowledgeBaseError';
  }
}

export function problemsFromZod(file: string, error: z.ZodError): KnowledgeProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: issue.path.map(String).join('.'),
    reason: issue.message,
  }));
}
