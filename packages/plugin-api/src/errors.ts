/**
 * An error the user can act on. The server turns it into an `isError: true` result carrying
 * `message` (and `hint`, when given); no stack trace reaches the model.
 */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Thrown by `defineTool` / `definePlugin` when a definition breaks the contract. */
export class DefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionError';
  }
}
