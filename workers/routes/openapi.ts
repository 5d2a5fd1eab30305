import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/document.js';
import { newApp } from '../app.js';

// Built on first request, once per isolate: the schemas do not change while it lives.
let cached: OpenApiDocument | undefined;
export const openapiRoutes = newApp().get('/', (c) => c.json((cached ??= buildOpenApiDocument())));
