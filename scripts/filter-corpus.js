// Writes the generated half of the content filter's corpus (test/fixtures/filter/):
//   everyday-generated.txt  everyday chat built from templates and word lists: addresses, prices, times,
//                           dates, phone-like and other numbers, places, brands, names, and words that
//                           contain or look like a listed one (cockpit, Scunthorpe, therapist, ...)
//   abuse-generated.txt     real obscenities and slurs, each written the ways people dodge filters
//                           (leetspeak, repeated letters, letters spaced or dotted apart, symbols, mixed case)
// The hand-written halves (everyday-written.txt, abuse-written.txt) sit beside them. The output is the
// same on every run (a seeded generator): `node scripts/filter-corpus.js`, then commit the files.
const fs = require('node:fs');
const path = require('node:path');

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'filter');

function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(24);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pad = (n, width) => String(n).padStart(width, '0');

const NAMES = [
  'Dick', 'Sam', 'Priya', 'Tom', 'Aisha', 'Mohammed', 'Olivia', 'Jack', 'Chloe', 'Wei', 'Fatima', 'Liam', 'Sofia',
  'Dmitri', 'Kemi', 'Hannah', 'Raj', 'Niamh', 'Oskar', 'Mei', 'Dickie', 'Fanny', 'Willy', 'Gaylord', 'Randy',
  'Titus', 'Hugh', 'Semenov', 'Dickson', 'Hancock', 'Cockburn', 'Peacock', 'Babcock', 'Cummings', 'Shittu',
  'Assefa', 'Kuntal', 'Nigel', 'Nigella', 'Anala', 'Cumberbatch', 'Dickinson', 'Bassett', 'Cass', 'Lassie',
  'Hitesh', 'Fukuda', 'Fuentes', 'Kumar', 'Analise', 'Vanessa', 'Jessica', 'Cassandra', 'Seymour', 'Ashley',
];
const STREETS = [
  'Main', 'High', 'Church', 'Station', 'Victoria', 'Mill', 'Park', 'Cockspur', 'Scunthorpe', 'Sussex', 'Essex',
  'Grape', 'Hancock', 'Dickens', 'Cockburn', 'Shore', 'Oak', 'Kings', 'Queens', 'Albert', 'Bishops', 'Cumberland',
  'Bassett', 'Glasshouse', 'Penistone', 'Gaskell', 'Titchfield', 'Cockfosters', 'Middlesex',
];
const STREET_KINDS = ['St', 'Street', 'Road', 'Rd', 'Lane', 'Avenue', 'Ave', 'Close', 'Way', 'Drive', 'Place', 'Gardens'];
const CITIES = [
  'Scunthorpe', 'Penistone', 'Cockermouth', 'Clitheroe', 'Essex', 'Sussex', 'Middlesex', 'Manchester', 'Leeds',
  'Bristol', 'Cardiff', 'Glasgow', 'Belfast', 'York', 'Lancaster', 'Dorchester', 'Cumbernauld', 'Cumnock',
  'Assen', 'Hitchin', 'Lightwater', 'Bastia', 'Kuntsevo', 'Sextantio',
  'Scranton', 'Nantes', 'Analipsi', 'Fukuoka', 'Titisee', 'Mumbai', 'Lagos', 'Toronto', 'Sydney', 'Dubai',
  'Canal Street', 'Assisi', 'Cockfosters', 'Penzance', 'Bath', 'Hull', 'Dundee', 'Swansea', 'Derby',
];
const SHOPS = [
  'Tesco', 'Lidl', 'Aldi', 'Asda', 'Boots', 'Primark', 'IKEA', 'Argos', 'Currys', 'the market', 'the corner shop',
  'Greggs', 'Costa', 'Waitrose', 'Morrisons', 'M&S', 'Superdry', 'H&M', 'Uniqlo', 'the garage', 'Screwfix',
  'the chemist', 'Poundland', 'Sports Direct', 'JD', 'Wilko', 'the farm shop', 'Dickies', 'Analog Records',
];
const ITEMS = [
  'cocktail shaker', 'grape juice', 'shiitake mushrooms', 'shitake mushrooms', 'button mushrooms', 'cumin',
  'cocktail sausages', 'rapeseed oil', 'bassoon reeds', 'glass vase', 'massage oil', 'dog lead', 'sofa',
  'phone case', 'bag of grapes', 'class ring', 'analog watch', 'analogue clock', 'train ticket', 'pack of nappies',
  'pint of milk', 'loaf of bread', 'cockle pie', 'Negroni', 'pair of trainers', 'hoodie', 'kettle', 'toaster',
  'bike lock', 'cocoa', 'peacock feather', 'Scunthorpe United shirt', 'Essex lottery ticket', 'cucumber',
];
const THINGS_TO_DO = [
  'book club', 'the cockpit tour', 'my therapist appointment', 'football practice', 'the analysis meeting',
  'Assassin\'s Creed night', 'the cocktail class', 'yoga', 'the dentist', 'parents evening', 'choir',
  'the Sussex trip', 'the Essex derby', 'grape picking', 'the assessment', 'the assembly', 'swimming lessons',
  'the classic car show', 'band practice', 'the button workshop', 'the Hancock lecture', 'the Dickens walk',
];
const TRAP_WORDS = [
  'cockpit', 'Scunthorpe', 'therapist', 'assassin', 'cocktail', 'Essex', 'grape', 'analysis', 'shitake', 'button',
  'class', 'Sussex', 'Hancock', 'Dickens', 'cockatoo', 'cockerel', 'peacock', 'shuttlecock', 'assessment',
  'assistant', 'associate', 'assumption', 'embassy', 'cassette', 'passenger', 'bassist', 'massage', 'harassment',
  'compass', 'hassle', 'lasso', 'molasses', 'cumulative', 'cucumber', 'cumin', 'circumference', 'document',
  'scrape', 'drape', 'grapefruit', 'therapy', 'rapeseed', 'analyst', 'analogue', 'canal', 'banal', 'penal',
  'Uranus', 'tetanus', 'Titanic', 'title', 'constitution', 'appetite', 'petition', 'cockney', 'Hitchcock',
  'Sextant', 'sussed', 'Wessex', 'Middlesex', 'Scunthorpe', 'Penistone', 'shiitake', 'mushroom', 'buttress',
  'butter', 'buttermilk', 'rebuttal', 'pussycat', 'pussy willow', 'Dickinson', 'spotted dick', 'Moby Dick',
  'bitter', 'title', 'Cockburn', 'Babcock', 'hitch', 'whitewash', 'Shittu', 'snigger', 'Nigeria', 'Niger',
  'Negroni', 'Montenegro', 'raccoon', 'cocoon', 'tycoon', 'spicy', 'Pakistan', 'homophone', 'homogenous',
  'classic', 'classroom', 'grass', 'glasses', 'ambassador', 'password', 'passport', 'cassava', 'sassafras',
  'Assam', 'Assisi', 'asset', 'assorted', 'assign', 'assure', 'cummerbund', 'Cumbria', 'cumbersome',
  'Sextantio', 'sexton', 'Essex', 'Sussex', 'Hitchin', 'Matsushita', 'Shih Tzu', 'fagioli', 'Fagin',
  'analgesic', 'analytics', 'grapevine', 'skyscraper', 'scrapbook', 'therapeutic',
  'Dickensian', 'Dickson', 'Riddick', 'retardant', 'Pissarro', 'Wankel engine', 'turducken', 'Semenya',
  'Georgy', 'Porgy and Bess', 'Cockermouth', 'Clitheroe', 'Lightwater', 'cockle', 'cocker spaniel',
  'cockapoo', 'cockroach', 'cocksure', 'cockscomb', 'Shakespeare', 'Kumquat', 'Scuttle', 'shuttle', 'hotshot',
];
const TRAP_FRAMES = [
  (w) => `How do you spell ${w}?`,
  (w) => `I was just reading about ${w}`,
  (w) => `Is "${w}" one word or two?`,
  (w) => `We talked about ${w} for ages in the pub`,
  (w) => `My kid keeps saying ${w} for some reason`,
  (w) => `${w} came up in the quiz last night`,
  (w) => `Can't stop thinking about ${w}, weird day`,
  (w) => `Apparently ${w} was the answer to 7 down`,
  (w) => `Has anyone here heard of ${w}?`,
  (w) => `Spelling bee word tonight: ${w}`,
  (w) => `Fun fact about ${w} coming up`,
  (w) => `Google "${w}", trust me`,
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ordinal = (n) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** A number of any size, with leaning towards the ones leetspeak reads as words (4, 5, 7, 1, 3, 0). */
function number(digits = 5) {
  const leet = '4571304557';
  const kind = random();
  if (kind < 0.4) {
    let n = '';
    for (let i = int(2, digits); i > 0; i--) n += pick(leet);
    return String(Number(n));
  }
  return String(int(0, kind < 0.7 || digits < 4 ? 10 ** Math.min(digits, 3) - 1 : 10 ** digits - 1));
}
const price = () => pick([`£${number(3)}`, `£${int(0, 99)}.${pad(int(0, 99), 2)}`, `${int(1, 9)}.${pad(int(0, 99), 2)}`, `$${number(3)}`, `€${int(1, 500)}`, `${number(3)} quid`, `${int(1, 99)}p`, `${number(3)} euros`, `£${int(4, 5)}.${pick(['45', '55', '50', '75', '99'])}`]);
const time = () => pick([`${int(1, 12)}:${pad(int(0, 59), 2)}`, `${int(0, 23)}:${pad(int(0, 59), 2)}`, `${int(1, 12)}pm`, `${int(1, 12)}am`, `${int(1, 12)}.${pad(int(0, 5) * 10 + 5, 2)}`, `half ${int(1, 12)}`, `quarter past ${int(1, 12)}`, `${int(1, 12)} o'clock`]);
const date = () => pick([`${ordinal(int(1, 31))} of ${pick(MONTHS)}`, `${int(1, 31)}/${int(1, 12)}/${int(1955, 2027)}`, `${pick(MONTHS)} ${int(1, 31)}`, `${int(1, 28)}.${pad(int(1, 12), 2)}.${int(1990, 2030)}`, `${pick(DAYS)} the ${ordinal(int(1, 31))}`, `${int(2024, 2027)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`]);
const phone = () => pick([`07${int(100, 999)} ${int(100000, 999999)}`, `0800 ${int(100, 999)} ${int(100, 999)}`, `+44 ${int(1000, 7999)} ${int(100000, 999999)}`, `(${int(200, 999)}) ${int(200, 999)}-${pad(int(0, 9999), 4)}`, `${int(100, 999)}-${pad(int(0, 9999), 4)}`, `01${int(100, 999)} ${int(100000, 999999)}`]);
const address = () => pick([`${number(4)} ${pick(STREETS)} ${pick(STREET_KINDS)}`, `${number(3)}${pick(['', 'a', 'b', 'A', 'B'])} ${pick(STREETS)} ${pick(STREET_KINDS)}`, `flat ${int(1, 99)}, ${number(3)} ${pick(STREETS)} ${pick(STREET_KINDS)}`, `${number(4)} ${pick(STREETS)} ${pick(STREET_KINDS)}, ${pick(CITIES)}`]);
const postcode = () => `${pick(['SW', 'E', 'N', 'LS', 'M', 'B', 'CF', 'G', 'DN', 'S', 'BN', 'CM', 'SS', 'A'])}${int(1, 45)} ${int(1, 9)}${pick(['AB', 'XY', 'SS', 'DQ', 'HT', 'UW', 'AS', 'TT', 'LE'])}`;

const TEMPLATES = [
  () => `I live at ${address()}`,
  () => `We're at ${address()}, come round whenever`,
  () => `The party is at ${address()} from ${time()}`,
  () => `New address: ${address()}, ${postcode()}`,
  () => `Can you send it to ${address()}?`,
  () => `Parcel went to ${address()} instead of mine, ugh`,
  () => `Meet me outside ${number(3)} ${pick(STREETS)} ${pick(STREET_KINDS)}`,
  () => `Viewing a flat at ${address()} on ${pick(DAYS)}`,
  () => `It was ${price()} at ${pick(SHOPS)}`,
  () => `The ${pick(ITEMS)} cost me ${price()}`,
  () => `Got a ${pick(ITEMS)} for ${price()}, bargain`,
  () => `${pick(SHOPS)} have the ${pick(ITEMS)} for ${price()} this week`,
  () => `Does ${price()} sound right for a ${pick(ITEMS)}?`,
  () => `Owe you ${price()} for the ${pick(ITEMS)}`,
  () => `Rent is £${int(4, 25)}${pick(['00', '50', '25', '75', '45', '55'])} a month now`,
  () => `See you at ${time()}`,
  () => `I'm free after ${time()} on ${pick(DAYS)}`,
  () => `The train to ${pick(CITIES)} leaves at ${time()}`,
  () => `${pick(THINGS_TO_DO)} is at ${time()} on ${pick(DAYS)}`,
  () => `Running late, be there by ${time()}`,
  () => `Film starts at ${time()}, get popcorn`,
  () => `Bus number ${number(3)} at ${time()}`,
  () => `My birthday is on the ${ordinal(int(1, 31))} of ${pick(MONTHS)}`,
  () => `We fly out on ${date()}`,
  () => `Deadline is ${date()}, don't forget`,
  () => `${pick(THINGS_TO_DO)} got moved to ${date()}`,
  () => `Moved in on ${date()} and still unpacking`,
  () => `Call me on ${phone()}`,
  () => `Their number is ${phone()}, ask for ${pick(NAMES)}`,
  () => `If I don't answer try ${phone()}`,
  () => `My order number is ${number()}`,
  () => `Flight ${pick(['BA', 'EZY', 'FR', 'LH', 'AF', 'KL', 'EK'])}${number()} is delayed ${int(5, 180)} minutes`,
  () => `We're in room ${number(4)}`,
  () => `Final score ${int(0, 9)}-${int(0, 9)}, what a game`,
  () => `It's ${int(-10, 45)} degrees in ${pick(CITIES)} today`,
  () => `I got ${int(0, 100)} out of ${int(50, 100)} on the test`,
  () => `Just hit ${number()} steps today`,
  () => `Tracking number ${int(1000, 9999)} ${int(1000, 9999)} ${int(1000, 9999)}`,
  () => `The code is ${number()}`,
  () => `Level ${number()} is impossible`,
  () => `That's ${number()} likes already`,
  () => `Gate ${pick(['A', 'B', 'C', 'D'])}${int(1, 60)}, boarding at ${time()}`,
  () => `Chapter ${int(1, 40)}, page ${number(3)}`,
  () => `Postcode is ${postcode()}`,
  () => `Platform ${int(1, 14)} for the ${time()} to ${pick(CITIES)}`,
  () => `${number()} people turned up!`,
  () => `Year ${int(1, 13)} have their exams on ${date()}`,
  () => `Born in ${int(1930, 2020)}`,
  () => `I've got ${int(2, 12)} tabs open and ${number()} unread emails`,
  () => `My nan still remembers her phone number from ${int(1950, 1990)}: ${number(5)}`,
  () => `Has anyone been to ${pick(CITIES)}?`,
  () => `Heading to ${pick(CITIES)} for the weekend`,
  () => `${pick(NAMES)} just moved to ${pick(CITIES)}`,
  () => `Anyone know a good curry house in ${pick(CITIES)}?`,
  () => `The drive from ${pick(CITIES)} to ${pick(CITIES)} took ${int(1, 6)} hours`,
  () => `${pick(SHOPS)} in ${pick(CITIES)} is closing down`,
  () => `${pick(NAMES)} said they'd be late`,
  () => `Tell ${pick(NAMES)} I said hi`,
  () => `${pick(NAMES)} and ${pick(NAMES)} are coming to ${pick(THINGS_TO_DO)}`,
  () => `Has anyone heard from ${pick(NAMES)}?`,
  () => `${pick(NAMES)}'s dog is called ${pick(['Biscuit', 'Pickle', 'Dick', 'Button', 'Shiitake', 'Cocoa', 'Titan', 'Assassin', 'Grape'])}`,
  () => `${pick(NAMES)} ${pick(['Hancock', 'Cockburn', 'Dickinson', 'Cummings', 'Babcock', 'Peacock', 'Dickson', 'Smith', 'Wong', 'Patel'])} from work is leaving`,
  () => `Happy birthday ${pick(NAMES)}!`,
  () => `Thanks ${pick(NAMES)}, you're a star`,
  () => `${pick(NAMES)} is bringing the ${pick(ITEMS)}`,
  () => pick(TRAP_FRAMES)(pick(TRAP_WORDS)),
  () => `${pick(THINGS_TO_DO)} was great, thanks for organising`,
  () => `Off to ${pick(THINGS_TO_DO)}, back ${time()}`,
  () => `Who's coming to ${pick(THINGS_TO_DO)} on ${pick(DAYS)}?`,
  () => `Picked up a ${pick(ITEMS)} at ${pick(SHOPS)} in ${pick(CITIES)}`,
  () => `${pick(['lol', 'haha', 'omg', 'ok', 'yeah', 'nah', 'same', 'honestly'])} ${pick(TRAP_WORDS)} ${pick(['again', 'every time', 'is my life now', 'of all things', 'though'])}`,
];

const everyday = new Set();
while (everyday.size < 1900) everyday.add(pick(TEMPLATES)());

// Real obscenities and slurs; each is written out the ways people dodge filters.
const ABUSE = [
  'fuck', 'fucking', 'fucker', 'motherfucker', 'shit', 'bullshit', 'shithead', 'cunt', 'bitch', 'bastard',
  'dick', 'dickhead', 'cock', 'cocksucker', 'pussy', 'asshole', 'arsehole', 'twat', 'wanker', 'whore', 'slut',
  'prick', 'bollocks', 'piss off', 'jackass', 'dumbass', 'douchebag', 'bellend', 'skank', 'jizz', 'dildo', 'porn',
  'nigger', 'nigga', 'faggot', 'fag', 'retard', 'spastic', 'tranny', 'dyke', 'kike', 'chink', 'spic', 'paki',
  'gook', 'coon', 'wetback', 'raghead', 'towelhead', 'beaner', 'spaz',
];
const LEET = { a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['5', '$'], t: ['7'], g: ['6'] };
const OBFUSCATIONS = [
  (w) => w.toUpperCase(),
  (w) => [...w].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(''),
  (w) => [...w].map((c) => (LEET[c] ? pick(LEET[c]) : c)).join(''),
  (w) => w.replace(/[aeiou]/, (v) => (LEET[v] ? LEET[v][0] : v)),
  (w) => w.replace(/[aeiou]/, '*'),
  (w) => w.replace(/([aeiou])/, '$1$1$1$1'),
  (w) => w.replace(/(.)$/, '$1$1$1'),
  (w) => [...w].join(' '),
  (w) => [...w].join('.'),
  (w) => [...w].join('-'),
  (w) => [...w].join('_'),
  (w) => w.replace(/s/g, '$').replace(/a/g, '@'),
  (w) => w.replace(/i/g, '!').replace(/o/g, '0'),
  (w) => w[0].toUpperCase() + w.slice(1).replace(/[aeiou]/g, (v) => (LEET[v] ? LEET[v][0] : v)),
];
const FRAMES = [(w) => w, (w) => `you ${w}`, (w) => `what a ${w}`, (w) => `${w} off`, (w) => `shut up ${w}`, (w) => `${w}!!!`];
const abuse = new Set();
for (const word of ABUSE) {
  for (const obfuscate of OBFUSCATIONS) {
    const written = obfuscate(word);
    if (written !== word) abuse.add(pick(FRAMES)(written));
  }
}

fs.writeFileSync(path.join(OUT, 'everyday-generated.txt'), `${[...everyday].join('\n')}\n`);
fs.writeFileSync(path.join(OUT, 'abuse-generated.txt'), `${[...abuse].join('\n')}\n`);
console.log(`everyday-generated.txt: ${everyday.size} lines, abuse-generated.txt: ${abuse.size} lines`);
