/** What a function learns about itself from its invocation, without an API call. */

/** Account id from `arn:aws:lambda:<region>:<account>:function:<name>` (the invoked function's ARN). */
export function accountFromArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
