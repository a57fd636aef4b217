/** A dictionary entry: one text, or one text per plural category of the locale (CLDR rules). */
export type Phrase = string | PluralPhrase;

export interface PluralPhrase {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  /** Always required: CLDR gives every locale an "other" category. */
  other: string;
}
