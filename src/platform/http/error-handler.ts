import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { format, type Lang, type Msg } from '../i18n/index.js';
import { isAppError } from './errors.js';
import { validationProblem } from './validation-messages.js';

/** Problem details (RFC 9457) with our stable `code` and the offending `field`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  field?: string | undefined;
  requestId: string;
  [k: string]: unknown;
}

const generic: Record<number, { code: string; msg: Msg }> = {
  400: { code: 'bad_request', msg: { vi: 'Yêu cầu không hợp lệ.', en: 'Bad request.' } },
  401: { code: 'unauthenticated', msg: { vi: 'Cần đăng nhập.', en: 'Authentication required.' } },
  403: { code: 'forbidden', msg: { vi: 'Không có quyền.', en: 'Forbidden.' } },
  404: { code: 'not_found', msg: { vi: 'Không tìm thấy.', en: 'Not found.' } },
  405: { code: 'method_not_allowed', msg: { vi: 'Phương thức không được hỗ trợ.', en: 'Method not allowed.' } },
  406: { code: 'not_acceptable', msg: { vi: 'Không có định dạng phù hợp.', en: 'Not acceptable.' } },
  413: { code: 'payload_too_large', msg: { vi: 'Dữ liệu gửi lên quá lớn.', en: 'Payload too large.' } },
  415: { code: 'unsupported_media_type', msg: { vi: 'Kiểu nội dung không được hỗ trợ.', en: 'Unsupported media type.' } },
  429: { code: 'rate_limited', msg: { vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau.', en: 'Too many requests, try again later.' } },
  500: { code: 'internal_error', msg: { vi: 'Lỗi hệ thống.', en: 'Internal server error.' } },
};

const titleFor = (status: number, lang: Lang): string => format((generic[status] ?? generic[500]!).msg, lang);

export function toProblem(error: unknown, req: FastifyRequest): Problem {
  const lang = req.lang ?? 'vi';
  const base = (status: number) => ({ type: 'about:blank', title: titleFor(status, lang), status, requestId: req.id });
  if (isAppError(error)) {
    const errors =
      error.fieldErrors.length > 1 ? { errors: error.fieldErrors.map((f) => ({ field: f.field, code: f.code, detail: format(f.msg, lang, f.params) })) } : {};
    return { ...base(error.status), ...error.extra, code: error.code, detail: format(error.msg, lang, error.params), field: error.field, ...errors };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const v = validationProblem(fe, lang);
    return { ...base(400), code: 'validation_failed', detail: v.detail, field: v.field };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  const g = generic[status] ?? generic[400]!;
  if (status === 400 && fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { ...base(400), code: 'invalid_json', detail: format({ vi: 'Nội dung JSON không hợp lệ.', en: 'Invalid JSON body.' }, lang) };
  }
  return { ...base(status), code: g.code, detail: format(g.msg, lang) };
}

export function errorHandler(error: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const problem = toProblem(error, req);
  if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
  else req.log.info({ code: problem.code, field: problem.field }, 'request rejected');
  void reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}
