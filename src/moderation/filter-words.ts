/**
 * What the content filter looks for: the `obscenity` library's English dataset, with the slurs and
 * insults it lacks added as patterns of its own, and known-innocent words and phrases (places, names,
 * food, idioms) that contain or look like a listed word. Measured against the corpus in
 * test/fixtures/filter/ (docs/moderation.md, "Content filter").
 */
import { DataSet, englishDataset, type ParsedPattern, pattern } from 'obscenity';

export type FilterWordMetadata = { originalWord: string };

/** Slurs and insults the library's dataset does not hold; `|` is a word boundary, `[x]` optional. */
const ADDED: Record<string, ParsedPattern[]> = {
  ass: [pattern`|azz|`, pattern`|azzhole`, pattern`|jackass`, pattern`|dumbass`, pattern`|dumass`, pattern`|fatass`,
    pattern`|smartass`],
  bitch: [pattern`|biatch`, pattern`|biotch`, pattern`bytch`],
  bollocks: [pattern`|bollox`],
  cunt: [pattern`|kunt|`, pattern`|kunts|`, pattern`|cvnt`],
  dick: [pattern`|dikhead`],
  fuck: [pattern`|phuck`, pattern`|phuk`, pattern`|stfu|`, pattern`|gtfo|`, pattern`motherfuk`, pattern`mothafuk`,
    pattern`muthafuk`],
  fag: [pattern`|phag|`, pattern`|phagg`],
  // "q" for "g", seen after the library folds repeated letters ("niqqa" reads "niqa")
  nigger: [pattern`|nigguh`, pattern`|niqa`, pattern`|niqer`],
  shit: [pattern`|shyt`],
  pussy: [pattern`|pussie`],
  // the library reads 1 as i only; "s1ut" is a slut
  slut: [pattern`|s[s]iut`],
  douche: [pattern`douchebag`, pattern`|douche|`],
  bellend: [pattern`bellend`],
  skank: [pattern`|skank`],
  spic: [pattern`|spic|`, pattern`|spics|`],
  paki: [pattern`|paki|`, pattern`|pakis|`],
  gook: [pattern`|gook`],
  coon: [pattern`|coon|`, pattern`|coons|`],
  wetback: [pattern`wetback`],
  raghead: [pattern`raghead`],
  towelhead: [pattern`towelhead`],
  beaner: [pattern`|beaner`],
  spaz: [pattern`|spaz`],
  homo: [pattern`|homo|`, pattern`|homos|`],
};

export const filterDataset = new DataSet<FilterWordMetadata>().addAll(englishDataset);
for (const [originalWord, patterns] of Object.entries(ADDED)) {
  filterDataset.addPhrase((phrase) => patterns.reduce((built, p) => built.addPattern(p), phrase.setMetadata({ originalWord })));
}

/**
 * Known-innocent text: a listed word's match inside one of these (lower case, accents and look-alikes
 * resolved: "cafe" finds "café") is not a match.
 * Places, surnames, food, birds, idioms, and everyday Spanish, French, Swedish and German where a listed
 * English word is a common word of that language.
 */
export const INNOCENT_TERMS: readonly string[] = [
  // places and streets
  'cockfosters', 'cockspur', 'cockington', 'penistone', 'bellenden', "offa's dyke", 'dyke road', 'cumnock', 'cumana',
  'fukuoka', 'fukushima', 'analipsi', 'wankhede',
  // names
  'dickinson', 'dickson', 'dickerson', 'dickenson', 'dickie', 'dickies', 'riddick', 'reddick', 'moby dick',
  'cummings', 'cummins', 'shittu', 'assefa', 'anala', 'semenya', 'semenov', 'fukuda', 'fukui', 'fukuyama', 'georgy',
  'fagin', 'pissarro', 'dicky', 'analect',
  // food and drink
  'shiitake', 'cumin', 'rapeseed', 'negroni', 'fagiol', 'spotted dick', 'cafe negro', 'chocolate negro',
  // words, idioms, animals
  'cockpit', 'cocksure', 'cockscomb', 'cock-up', 'cock up', 'cock-a-', 'spic and span', 'faggots and peas', 'bastardis',
  'bastardiz', 'cum laude', 'cummerbund', 'retardant', 'wankel', 'titter', 'tittle', 'blue tit',
  'great tit', 'coal tit', 'tit for tat', 'chink in', 'chink of', 'homo sapiens', 'homo erectus', 'pussycat',
  'pussy willow', 'analgesi', 'analis', 'analiz', 'analit', 'assort', 'assyri',
  // everyday Spanish, French and Swedish
  'gato negro', 'perro negro', 'pelo negro', 'color negro', 'vestido negro', 'mar negro', 'rio negro',
  'viernes negro', 'humor negro', 'agujero negro', 'une douche', 'la douche', 'ma douche', 'gel douche', 'en retard',
  'de retard', 'du retard', 'le retard', 'slutar', 'slutet', 'sluta ', 'slutade', 'slutsal', 'slutlig', 'facket',
  // German "thick"
  'dicke', 'zu dick', 'sehr dick', 'so dick', 'ist dick',
];

/**
 * Listed words that are also first names or nicknames (Dick, Fu, Kike): written exactly so, as a
 * whole word, they are a name, unless a word before them makes them an insult ("you Dick", "a Dick").
 */
export const NAME_SPELLINGS: ReadonlySet<string> = new Set(['Dick', 'Fu', 'Kike']);
export const INSULT_LEAD_INS: ReadonlySet<string> = new Set([
  'a', 'an', 'you', 'ya', 'ur', 'your', 'such', 'what', 'big', 'little', 'stupid', 'fat', 'my', 'suck', 'sucks', 'fucking',
]);

/**
 * Whole listed words as people write them, for text with letters hidden behind `*` ("f**k", "c*nt",
 * "a**hole"), which the library's patterns cannot see: a hidden letter may stand for any letter.
 */
export const HIDDEN_LETTER_WORDS: readonly string[] = [
  'fuck', 'fucker', 'fucking', 'motherfucker', 'shit', 'shite', 'bullshit', 'shithead', 'cunt', 'bitch', 'bastard',
  'dick', 'dickhead', 'cock', 'cocksucker', 'pussy', 'asshole', 'arsehole', 'twat', 'wanker', 'whore', 'slut', 'prick',
  'bollocks', 'piss', 'phuck', 'fag', 'jackass', 'dumbass', 'douche', 'douchebag', 'bellend', 'skank', 'nigger', 'nigga',
  'faggot', 'retard', 'spastic', 'tranny', 'dyke', 'kike', 'chink', 'spic', 'paki', 'gook', 'coon', 'wetback', 'raghead',
  'towelhead', 'beaner', 'spaz', 'porn', 'jizz', 'dildo', 'penis', 'vagina', 'rape', 'rapist',
];
