/** The generic mapper could not produce a mapping for a group (no eligible core, invalid caller tiling). */
export class MappingGenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingGenerationError';
  }
}
