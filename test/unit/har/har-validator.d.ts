declare module 'har-validator' {
  interface HarValidator {
    /** Resolves with the data, rejects with a HARError listing schema errors. */
    har(data: unknown): Promise<unknown>;
  }
  const validator: HarValidator;
  export default validator;
}
