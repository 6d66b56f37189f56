import type { Consolidated } from './build.js';

/**
 * The consolidated report for the ministry's systems, shaped after the national reporting
 * system's exchange format (QCVN 125:2021/BTTTT): the reporting regime, the form, the report's
 * data, its status, its signers and its indicators. Element names follow the standard's parts as
 * far as its public text describes them; the exact schema was not available offline
 * (docs/planning.md).
 */
export function toExchangeJson(c: Consolidated) {
  return {
    format: 'tinhso.planning.consolidated/1',
    regime: {
      code: c.regime.code,
      name: c.regime.name,
      frequency: c.regime.frequency,
      period: { from: c.regime.periodFrom, to: c.regime.periodTo },
      deadline: c.regime.deadline,
      sender: c.issuer,
      receiver: 'Bộ Khoa học và Công nghệ',
      reportingUnits: c.regime.senders,
    },
    form: { code: `${c.regime.code}/tong-hop`, title: c.subtitle },
    report: {
      year: c.year,
      numberSymbol: c.numberSymbol,
      place: c.place,
      date: c.docDate,
      issuer: c.issuer,
      parentIssuer: c.parentIssuer,
      summary: c.summary,
      assessment: c.assessment,
      recommendations: c.recommendations,
      units: c.counts,
      byGroup: c.byGroup,
      byUnit: c.byUnit,
      difficulties: c.difficulties,
      proposals: c.proposals,
      annex: c.units,
    },
    status: c.finalised ? 'final' : 'draft',
    signers: c.signerName ? [{ title: c.signerTitle, name: c.signerName }] : [],
    recipients: c.recipients,
    indicators: c.indicators.map((i) => ({
      code: i.code,
      name: i.name,
      unit: i.unit,
      scope: i.scope,
      period: String(c.year),
      target: i.targetNumber,
      value: i.valueNumber,
      assessment: i.assessment,
    })),
  };
}
