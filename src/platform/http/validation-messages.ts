import type { FastifyError } from 'fastify';
import type { Lang } from '../i18n/index.js';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldOf(issue: AjvIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = (issue.params.missingProperty as string | undefined) ?? (issue.params.additionalProperty as string | undefined);
  const field = [path, extra].filter(Boolean).join('.');
  return field || context || 'body';
}

function reason(issue: AjvIssue, lang: Lang): string {
  const p = issue.params;
  const vi = lang === 'vi';
  switch (issue.keyword) {
    case 'required':
      return vi ? 'thiếu giá trị bắt buộc' : 'is required';
    case 'additionalProperties':
      return vi ? 'không được phép' : 'is not allowed';
    case 'type':
      return vi ? `phải có kiểu ${String(p.type)}` : `must be of type ${String(p.type)}`;
    case 'format':
      return vi ? `sai định dạng ${String(p.format)}` : `must match format ${String(p.format)}`;
    case 'minLength':
      return vi ? `phải có ít nhất ${String(p.limit)} ký tự` : `must have at least ${String(p.limit)} characters`;
    case 'maxLength':
      return vi ? `chỉ được tối đa ${String(p.limit)} ký tự` : `must have at most ${String(p.limit)} characters`;
    case 'minimum':
      return vi ? `phải ≥ ${String(p.limit)}` : `must be ≥ ${String(p.limit)}`;
    case 'maximum':
      return vi ? `phải ≤ ${String(p.limit)}` : `must be ≤ ${String(p.limit)}`;
    case 'pattern':
      return vi ? 'không đúng mẫu quy định' : 'does not match the required pattern';
    case 'enum':
    case 'const':
    case 'anyOf':
      return vi ? 'không thuộc các giá trị cho phép' : 'is not one of the allowed values';
    default:
      return vi ? 'không hợp lệ' : (issue.message ?? 'is invalid');
  }
}

/** Turns the first Ajv issue into a sentence naming the field, in the user's language. */
export function validationProblem(error: FastifyError, lang: Lang): { field: string; detail: string } {
  const issue = (error.validation?.[0] ?? { keyword: 'unknown', instancePath: '', params: {} }) as AjvIssue;
  const field = fieldOf(issue, error.validationContext);
  const detail = lang === 'vi' ? `Trường "${field}" ${reason(issue, lang)}.` : `Field "${field}" ${reason(issue, lang)}.`;
  return { field, detail };
}
