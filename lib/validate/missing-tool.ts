/** A tool a check needs is not installed: the tests never skip for it; `cdk-compose validate` does, and says so. */
export class MissingToolError extends Error {}
