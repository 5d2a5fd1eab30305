import { parseSchema } from '../../services/account-api/parse.js';
import type { OkResult } from '../../protocol/http/auth.js';
import {
  CreateUploadBody,
  UploadIdParam,
  UploadPartParam,
  type UploadInfo,
  type UploadPartResult,
  type UploadStatus,
} from '../../protocol/http/uploads.js';
import type { FileInfo } from '../../protocol/media.js';
import { newApp } from '../app.js';
import { abortUpload, completeUpload, createUpload, putUploadPart, uploadStatus } from '../media/uploads.js';
import { requireSession } from '../middleware/session.js';
import { jsonBody } from '../validate.js';

/** Resumable uploads: declare, send the body or the parts (raw bytes), complete. See protocol/http/uploads.ts. */
export const uploadRoutes = newApp()
  .use(requireSession())
  .post('/', async (c) => {
    const body = await jsonBody(c, CreateUploadBody);
    const info = await createUpload(c.env, c.var.session.accountId, body, Date.now());
    return c.json(info satisfies UploadInfo, 201);
  })
  .get('/:id', async (c) => {
    const { id } = parseSchema(UploadIdParam, c.req.param(), 'upload id');
    return c.json((await uploadStatus(c.env, c.var.session.accountId, id, Date.now())) satisfies UploadStatus);
  })
  .put('/:id', async (c) => {
    const { id } = parseSchema(UploadIdParam, c.req.param(), 'upload id');
    const result = await putUploadPart(c.env, c.var.session.accountId, id, 'single', c.req.raw, Date.now());
    return c.json(result satisfies UploadPartResult);
  })
  .put('/:id/parts/:n', async (c) => {
    const { id, n } = parseSchema(UploadPartParam, c.req.param(), 'upload part');
    const result = await putUploadPart(c.env, c.var.session.accountId, id, n, c.req.raw, Date.now());
    return c.json(result satisfies UploadPartResult);
  })
  .post('/:id/complete', async (c) => {
    const { id } = parseSchema(UploadIdParam, c.req.param(), 'upload id');
    return c.json((await completeUpload(c.env, c.var.session.accountId, id, Date.now())) satisfies FileInfo);
  })
  .delete('/:id', async (c) => {
    const { id } = parseSchema(UploadIdParam, c.req.param(), 'upload id');
    await abortUpload(c.env, c.var.session.accountId, id, Date.now());
    return c.json({ ok: true } satisfies OkResult);
  });
