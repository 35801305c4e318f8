// What the server said, in its words: urql prefixes "[GraphQL] " or "[Network] ", people need not read that.
export const says = (e: { message: string }): string => e.message.replace(/^\[(GraphQL|Network)\] /, '');
