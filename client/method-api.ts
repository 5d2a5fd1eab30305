import { methodNames, type MethodInput, type MethodName, type MethodResult } from '../protocol/methods.js';
import type { CallOptions } from './rpc.js';

/** A method's arguments: its params (which may be left out when none is required), then CallOptions. */
export type MethodArgs<M extends MethodName> = {} extends MethodInput<M>
  ? [params?: MethodInput<M>, options?: CallOptions]
  : [params: MethodInput<M>, options?: CallOptions];

/**
 * Every account method of protocol/methods.ts as a function, typed from its
 * schemas: `client.api.getHistory({ chat_id })` resolves with the method's
 * result exactly as the server answers it (parsed by the result schema).
 * A method added to the protocol appears here with no SDK change.
 */
export type MethodApi = { [M in MethodName]: (...args: MethodArgs<M>) => Promise<MethodResult<M>> };

type Call = <M extends MethodName>(method: M, params: MethodInput<M>, options?: CallOptions) => Promise<MethodResult<M>>;

/** A plain object with one function per method name (no Proxy: `await`ing it or a typo finds nothing). */
export function methodApi(call: Call): MethodApi {
  const bind =
    <M extends MethodName>(method: M) =>
    (...[params, options]: MethodArgs<M>) =>
      // Left out only where every param is optional, so {} is a valid input.
      call(method, params ?? ({} as MethodInput<M>), options);
  // fromEntries loses the per-key types `bind` had; the keys are exactly methodNames.
  return Object.fromEntries(methodNames.map((method) => [method, bind(method)])) as MethodApi;
}
