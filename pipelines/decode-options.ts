/** Pipeline options are checked with io-ts when a pipeline is assembled; a bad value is an input error naming the option. */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { InputError } from '../lib/common/errors';

export function decodeOptions<A>(codec: t.Decoder<unknown, A>, options: unknown): A {
  const decoded = codec.decode(options);
  if (isLeft(decoded)) {
    throw new InputError(
      decoded.left.map((e) => {
        const path = e.context
          .slice(1)
          .map((c) => c.key)
          .filter((k) => k !== '' && !/^\d+$/.test(k))
          .join('.');
        return { file: '<options>', path, message: `invalid option value ${JSON.stringify(e.value)}` };
      }),
    );
  }
  return decoded.right;
}
