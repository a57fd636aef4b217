// The redactor lives outside the stages so the logger can use it too; channels keep importing it here.
export { REDACTED, queryParamRedactor, redactBotTokenPaths, secretRedactor } from '../secrets/redact';
