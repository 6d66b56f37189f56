import type { Db } from '../../platform/db/index.js';
import { claimFile } from '../../platform/storage/index.js';
import { codeText, edxmlTimestamp, statusPackage, type Organ, type StaffInfo } from './edxml/write.js';
import { signerOf } from './keys.js';
import { storeSmallPackage } from './package-file.js';
import { deliveryRepo, orgRepo } from './repository.js';
import type { DocsDeps } from './send.js';
import type { DocumentRow } from './tables.js';

/** A status message about a received document, stored (signed with the recipient's key) before the transaction that queues it. */
export async function prepareStatus(
  deps: DocsDeps,
  doc: Pick<DocumentRow, 'org_id' | 'from_organ' | 'code_number' | 'code_notation' | 'promulgation_date' | 'document_id'>,
  code: string,
  description: string,
  staff?: StaffInfo,
): Promise<string> {
  const org = await orgRepo.byId(deps.db, doc.org_id);
  const from: Organ = { OrganId: org!.organ_code!, OrganName: org!.name };
  const xml = statusPackage({
    From: from,
    ResponseFor: {
      OrganId: doc.from_organ,
      Code: codeText({ CodeNumber: doc.code_number, CodeNotation: doc.code_notation }),
      PromulgationDate: doc.promulgation_date.replaceAll('-', '/'),
      DocumentId: doc.document_id,
    },
    StaffInfo: staff,
    StatusCode: code,
    Description: description,
    Timestamp: edxmlTimestamp(new Date()),
  });
  return (await storeSmallPackage(deps.files, xml, await signerOf(deps.db, deps.box, doc.org_id))).key;
}

/** Queues a prepared status message back to the document's sender, in the caller's transaction. */
export async function queueStatus(trx: Db, doc: Pick<DocumentRow, 'id' | 'org_id' | 'from_organ'>, packageKey: string): Promise<void> {
  await claimFile(trx, packageKey, `document:${doc.id}`);
  await deliveryRepo.insert(trx, [{ org_id: doc.org_id, document: doc.id, kind: 'status', to_organ: doc.from_organ, package_key: packageKey }]);
}
