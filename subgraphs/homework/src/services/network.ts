// What a write does when network, which it must ask first, cannot be reached.
import { NetworkUnavailableError } from '@passerelle/network-client';
import { ErrorCode, PublicError } from '@passerelle/service';

/** Refuses the write rather than making it unchecked. */
export function unavailable(error: unknown): never {
  if (error instanceof NetworkUnavailableError) {
    throw new PublicError(
      ErrorCode.ServiceUnavailable,
      'The network directory is unavailable; nothing was changed',
    );
  }
  throw error;
}
