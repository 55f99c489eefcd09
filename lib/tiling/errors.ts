/**
 * A mapping that cannot be tiled (tile does not divide, nonlinear reduction split, unknown node or loop).
 * Thrown by the pure tiling functions; the tiling stage turns it into a typed error notification.
 */
export class TilingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TilingError';
  }
}
