import { describe, expect, it } from 'vitest';
import { negotiate } from './negotiate.js';

const PAGE = ['text/html', 'text/turtle', 'application/ld+json'] as const;

describe('negotiate', () => {
  it('follows q, then specificity, then the server order', () => {
    expect(negotiate('text/turtle;q=0.5, application/ld+json', PAGE)).toBe('application/ld+json');
    expect(negotiate('text/turtle, */*;q=0.8', PAGE)).toBe('text/turtle');
    expect(negotiate('text/turtle, */*', PAGE)).toBe('text/turtle'); // named beats the wildcard at equal q
    expect(negotiate('*/*', PAGE)).toBe('text/html');
    expect(negotiate('text/*', PAGE)).toBe('text/html');
    expect(negotiate('text/html;q=0.9, application/ld+json', PAGE)).toBe('application/ld+json');
  });

  it('accepts everything without a header, and nothing refused with q=0 or not named', () => {
    expect(negotiate(undefined, PAGE)).toBe('text/html');
    expect(negotiate('  ', PAGE)).toBe('text/html');
    expect(negotiate('image/png', PAGE)).toBeUndefined();
    expect(negotiate('text/turtle;q=0, application/ld+json;q=0', ['text/turtle', 'application/ld+json'])).toBeUndefined();
    expect(negotiate('*/*, text/html;q=0', PAGE)).toBe('text/turtle');
  });

  it('treats a malformed quality as refusal', () => {
    expect(negotiate('text/turtle;q=abc, application/ld+json;q=2', ['text/turtle', 'application/ld+json'])).toBeUndefined();
  });
});
