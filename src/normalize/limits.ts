/**
 * The longest value each field of a normalized event keeps (in UTF-16 code units, which is what
 * JavaScript counts). A sender's string is stored in Redis, logged and rendered, so one webhook
 * with a megabyte in a label must not become a megabyte per alert, per channel, per log line.
 * Generous for real alerts: a Sentry title is at most a few hundred characters, an Alertmanager
 * description a few paragraphs. A cut value ends with CUT_MARK.
 */
export const LIMITS = {
  title: 512,
  message: 4096,
  /** culprit, project, environment, release. */
  shortField: 256,
  url: 2048,
  labelName: 128,
  labelValue: 1024,
  /** Annotations carry prose (description, summary), so a value may be longer than a label's. */
  annotationValue: 4096,
  /** Labels (and annotations) per event; Alertmanager alerts rarely carry more than 20. */
  entries: 64,
  /** String values in `extra` (group key, triggered rule, exception text, ...). */
  extraValue: 1024,
} as const;

/** Ends every value that was cut, so a reader sees that more was sent. */
export const CUT_MARK = '…';
