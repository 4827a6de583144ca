/** GetBucketLocation's LocationConstraint → region: null/'' is us-east-1, the legacy `EU` is eu-west-1. */
export function regionFromLocation(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}
