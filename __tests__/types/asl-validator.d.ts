/** asl-validator 4 ships no type declarations: the part of its API the tests use. */
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly { readonly 'Error code'?: string; readonly Message?: string }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(
    definition: unknown,
    options?: { readonly checkArn?: boolean; readonly checkPaths?: boolean },
  ): ValidationResult;
}
