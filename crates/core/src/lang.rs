//! Which language a text is in: its script first, then, for scripts that
//! several languages share, the letters or function words that tell them
//! apart.
//!
//! [`detect`] returns an ISO 639-3 code (`"eng"`, `"rus"`, `"zho"` …) or
//! [`UNDETERMINED`] (`"und"`) when the text has too few letters or words to
//! say. It reads at most [`SAMPLE_CHARS`] characters, so it costs the same
//! on a 200 MB line as on an article.
//!
//! - Scripts used by one language here name it: Greek, Armenian, Hebrew,
//!   Georgian, Hangul, Thai, Lao, Khmer, Myanmar, Tibetan, Ethiopic (as
//!   Amharic), Sinhala, Tamil, Telugu, Bengali, Devanagari (as Hindi).
//! - Han with kana is Japanese; Han alone is Chinese.
//! - Arabic script: Urdu and Persian by the letters Arabic lacks.
//! - Cyrillic: Serbian, Ukrainian, Russian and Bulgarian by their own
//!   letters.
//! - Latin script: the language whose commonest function words the text
//!   uses most (English, French, German, Spanish, Portuguese, Italian,
//!   Dutch, Polish, Turkish, Vietnamese, Indonesian, Swedish), if it leads
//!   clearly; otherwise undetermined.

use crate::hash::{token_hash, IntMap};

/// The code for a text whose language is not determined.
pub const UNDETERMINED: &str = "und";

/// Characters read from the start of a text.
pub const SAMPLE_CHARS: usize = 4_000;

/// Fewest letters for a verdict.
const MIN_LETTERS: usize = 12;

/// Fewest function-word hits (weighted, see `latin`) for a Latin-script
/// verdict, and how far the best language must lead the second.
const MIN_HITS: f64 = 2.0;
const LEAD: f64 = 1.5;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Armenian,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Tamil,
    Telugu,
    Sinhala,
    Thai,
    Lao,
    Tibetan,
    Myanmar,
    Georgian,
    Hangul,
    Ethiopic,
    Khmer,
    Kana,
    Han,
}

/// Every script, in declaration order (`ALL[s as usize] == s`).
const ALL: [Script; 21] = {
    use Script::*;
    [
        Latin, Cyrillic, Greek, Armenian, Hebrew, Arabic, Devanagari, Bengali, Tamil, Telugu, Sinhala, Thai, Lao,
        Tibetan, Myanmar, Georgian, Hangul, Ethiopic, Khmer, Kana, Han,
    ]
};
const SCRIPTS: usize = ALL.len();

fn script(c: char) -> Option<Script> {
    use Script::*;
    let u = c as u32;
    Some(match u {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => {
            if u == 0xD7 || u == 0xF7 {
                return None;
            }
            Latin
        }
        0x370..=0x3FF | 0x1F00..=0x1FFF => Greek,
        0x400..=0x52F => Cyrillic,
        0x531..=0x58F => Armenian,
        0x5D0..=0x5EA => Hebrew,
        0x620..=0x64A | 0x66E..=0x6D3 | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Arabic,
        0x900..=0x97F => Devanagari,
        0x980..=0x9FF => Bengali,
        0xB80..=0xBFF => Tamil,
        0xC00..=0xC7F => Telugu,
        0xD80..=0xDFF => Sinhala,
        0xE00..=0xE7F => Thai,
        0xE80..=0xEFF => Lao,
        0xF00..=0xFFF => Tibetan,
        0x1000..=0x109F => Myanmar,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF => Georgian,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Hangul,
        0x1200..=0x139F => Ethiopic,
        0x1780..=0x17FF => Khmer,
        0x3040..=0x30FF | 0x31F0..=0x31FF => Kana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Han,
        _ => return None,
    })
}

/// The language of `text` as an ISO 639-3 code, or [`UNDETERMINED`].
pub fn detect(text: &str) -> &'static str {
    let mut counts = [0usize; SCRIPTS];
    let mut letters = 0;
    for c in text.chars().take(SAMPLE_CHARS) {
        if let Some(s) = script(c) {
            counts[s as usize] += 1;
            letters += 1;
        }
    }
    if letters < MIN_LETTERS {
        return UNDETERMINED;
    }
    let kana = counts[Script::Kana as usize];
    let han = counts[Script::Han as usize];
    // Japanese writes kana beside Han; Chinese has none.
    if kana + han > 0 && kana * 10 >= (kana + han) && (kana + han) * 2 >= letters {
        return "jpn";
    }
    // The commonest script; ties go to the one declared first.
    let script = ALL.into_iter().max_by_key(|&s| (counts[s as usize], std::cmp::Reverse(s as usize))).expect("scripts");
    use Script::*;
    match script {
        Latin => latin(text),
        Cyrillic => cyrillic(text),
        Arabic => arabic(text),
        Greek => "ell",
        Armenian => "hye",
        Hebrew => "heb",
        Devanagari => "hin",
        Bengali => "ben",
        Tamil => "tam",
        Telugu => "tel",
        Sinhala => "sin",
        Thai => "tha",
        Lao => "lao",
        Tibetan => "bod",
        Myanmar => "mya",
        Georgian => "kat",
        Hangul => "kor",
        Ethiopic => "amh",
        Khmer => "khm",
        Kana => "jpn",
        Han => "zho",
    }
}

fn count_in(text: &str, set: &str) -> usize {
    text.chars().take(SAMPLE_CHARS).filter(|c| set.contains(*c)).count()
}

fn arabic(text: &str) -> &'static str {
    // Letters of Urdu and of Persian that Arabic does not use, and Arabic's
    // own (tāʾ marbūṭa and the dotted final yāʾ, written otherwise in both).
    let urdu = count_in(text, "ٹڈڑںےۓھ");
    let persian = count_in(text, "پچژگکی");
    let arabic = count_in(text, "ةيكى");
    if urdu * 4 > persian.max(arabic) && urdu >= 2 {
        "urd"
    } else if persian > arabic {
        "fas"
    } else {
        "arb"
    }
}

fn cyrillic(text: &str) -> &'static str {
    let lower = |set: &str| count_in(text, set);
    let serbian = lower("јљњћђџЈЉЊЋЂЏ");
    let ukrainian = lower("іїєґІЇЄҐ");
    let russian = lower("ыэёЫЭЁ");
    let hard = lower("ъ");
    if serbian > ukrainian.max(russian) {
        "srp"
    } else if ukrainian > russian {
        "ukr"
    } else if russian == 0 && hard > 0 {
        "bul"
    } else {
        "rus"
    }
}

/// The thirty commonest words of each Latin-script language (news and
/// web frequency lists), lower case. Words several languages share (`a`,
/// `de`, `la`, `in`, `en`) count for each of them; the lead a verdict needs
/// makes them tie-breakers, not evidence.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "eng",
        &[
            "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "with", "was", "on", "as", "by", "he",
            "at", "from", "his", "be", "are", "this", "have", "an", "but", "were", "has", "not", "they", "which",
        ],
    ),
    (
        "fra",
        &[
            "de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans", "a",
            "par", "plus", "pas", "au", "sur", "ne", "il", "se", "ce", "sont", "avec", "aux", "été", "elle",
        ],
    ),
    (
        "deu",
        &[
            "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im",
            "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass", "sie",
            "nach",
        ],
    ),
    (
        "spa",
        &[
            "de", "la", "que", "el", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con", "no", "una", "su",
            "para", "es", "al", "lo", "como", "más", "pero", "sus", "le", "ha", "me", "sin", "sobre",
        ],
    ),
    (
        "por",
        &[
            "de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no", "se",
            "na", "por", "mais", "as", "dos", "como", "mas", "foi", "ao", "ele", "das", "tem", "à",
        ],
    ),
    (
        "ita",
        &[
            "di", "e", "il", "la", "che", "a", "per", "in", "un", "è", "non", "una", "del", "da", "sono", "con", "si",
            "le", "i", "della", "al", "alla", "ha", "lo", "gli", "nel", "più", "anche", "come", "questo",
        ],
    ),
    (
        "nld",
        &[
            "de", "van", "een", "het", "en", "in", "is", "dat", "op", "te", "zijn", "voor", "met", "die", "niet",
            "aan", "er", "om", "ook", "als", "bij", "door", "maar", "wordt", "naar", "nog", "werd", "hij", "ze",
            "heeft",
        ],
    ),
    (
        "pol",
        &[
            "w", "i", "na", "z", "się", "nie", "do", "to", "że", "jest", "o", "jak", "po", "co", "od", "ale", "za",
            "przez", "dla", "tak", "są", "jego", "już", "czy", "oraz", "który", "także", "tym", "był", "może",
        ],
    ),
    (
        "tur",
        &[
            "ve",
            "bir",
            "bu",
            "da",
            "de",
            "için",
            "ile",
            "olarak",
            "çok",
            "daha",
            "gibi",
            "olan",
            "en",
            "ama",
            "ne",
            "kadar",
            "sonra",
            "göre",
            "ya",
            "şey",
            "değil",
            "her",
            "mi",
            "o",
            "veya",
            "ancak",
            "yeni",
            "tarafından",
            "ise",
            "olduğunu",
        ],
    ),
    (
        "vie",
        &[
            "và", "của", "các", "là", "có", "được", "trong", "cho", "với", "những", "một", "này", "người", "không",
            "đã", "để", "khi", "từ", "đến", "về", "nhiều", "cũng", "như", "tại", "sẽ", "vào", "ra", "theo", "bị",
            "nhưng",
        ],
    ),
    (
        "ind",
        &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga",
            "ke", "karena", "ada", "oleh", "mereka", "bahwa", "atau", "sudah", "telah", "saat", "kami", "lebih",
            "bisa", "seperti", "hanya", "setelah", "para",
        ],
    ),
    (
        "swe",
        &[
            "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "de", "inte",
            "om", "ett", "han", "men", "var", "jag", "sig", "från", "vi", "så", "kan", "när", "efter", "också",
        ],
    ),
];

/// Function words of languages whose script names them or that are told
/// apart by letters (for [`is_function_word`]; detection does not use
/// them).
const OTHER_FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "rus",
        &[
            "и",
            "в",
            "не",
            "на",
            "с",
            "что",
            "а",
            "по",
            "это",
            "к",
            "но",
            "как",
            "из",
            "у",
            "который",
            "то",
            "за",
            "от",
            "так",
            "о",
            "для",
            "же",
            "все",
            "его",
            "её",
            "их",
            "или",
            "бы",
            "до",
            "при",
            "был",
            "была",
            "были",
            "также",
            "этот",
            "она",
            "он",
            "они",
        ],
    ),
    (
        "ukr",
        &[
            "і",
            "в",
            "на",
            "з",
            "що",
            "не",
            "до",
            "у",
            "та",
            "як",
            "за",
            "це",
            "від",
            "для",
            "по",
            "а",
            "але",
            "про",
            "його",
            "її",
            "вони",
            "він",
            "вона",
            "був",
            "була",
            "були",
            "є",
            "також",
            "який",
            "яка",
            "які",
            "й",
            "із",
        ],
    ),
    (
        "arb",
        &[
            "في", "من", "على", "إلى", "أن", "التي", "الذي", "عن", "مع", "هذا", "هذه", "كان", "قد", "ما", "لا", "أو",
            "بين", "كما", "بعد", "ذلك", "وقد", "إن", "حيث", "كل", "وفي", "ثم", "و", "أي", "عند", "قال",
        ],
    ),
    (
        "ell",
        &[
            "και",
            "το",
            "της",
            "την",
            "του",
            "τα",
            "η",
            "ο",
            "οι",
            "των",
            "σε",
            "με",
            "για",
            "που",
            "από",
            "να",
            "στο",
            "στην",
            "είναι",
            "θα",
            "δεν",
            "στα",
            "τον",
            "ότι",
            "ως",
            "μια",
            "ένα",
            "αλλά",
            "στις",
            "τις",
        ],
    ),
    (
        "heb",
        &[
            "של", "את", "על", "הוא", "לא", "עם", "זה", "כי", "גם", "היא", "אם", "או", "אבל", "כל", "אל", "היה", "יש",
            "עד", "אחרי", "מה", "לפי", "בין", "כך", "רק", "הם", "כמו", "היו", "זו", "בו", "אך",
        ],
    ),
    (
        "fas",
        &[
            "و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "یک", "تا", "می", "بر", "هم", "شده",
            "بود", "شد", "ها", "کرد", "خود", "نیز", "او", "اما", "یا", "های", "آنها", "دارد", "کند",
        ],
    ),
    (
        "hin",
        &[
            "के",
            "का",
            "की",
            "है",
            "में",
            "और",
            "से",
            "को",
            "ने",
            "पर",
            "यह",
            "एक",
            "भी",
            "हैं",
            "था",
            "कि",
            "लिए",
            "तो",
            "नहीं",
            "थे",
            "इस",
            "गया",
            "कर",
            "हो",
            "साथ",
            "वह",
            "थी",
            "जो",
            "किया",
            "अपने",
        ],
    ),
];

/// Every listed word and the languages (bit `k`: list `k` of
/// [`FUNCTION_WORDS`] then [`OTHER_FUNCTION_WORDS`]) that list it.
/// Keyed by [`token_hash`] (64 bits: no collision among a few hundred
/// words).
static WORD_LANGUAGES: std::sync::LazyLock<IntMap<u64, u32>> = std::sync::LazyLock::new(|| {
    let mut map = IntMap::default();
    for (k, (_, words)) in FUNCTION_WORDS.iter().chain(OTHER_FUNCTION_WORDS).enumerate() {
        for &w in *words {
            *map.entry(token_hash(w)).or_insert(0u32) |= 1 << k;
        }
    }
    map
});

/// The Latin-script languages' bits in [`WORD_LANGUAGES`].
const LATIN_BITS: u32 = (1 << FUNCTION_WORDS.len()) - 1;

/// The function words of one language (see [`function_words`]).
#[derive(Clone, Copy, Debug)]
pub struct FunctionWords(u32);

impl FunctionWords {
    /// Whether `word` (lower case, as the tokenizer folds it) is one of the
    /// language's commonest function words.
    pub fn contains(self, word: &str) -> bool {
        self.0 != 0 && WORD_LANGUAGES.get(&token_hash(word)).is_some_and(|&m| m & self.0 != 0)
    }
}

/// The commonest function words of `language` (an ISO 639-3 code from
/// [`detect`]); empty for a language without a list here.
pub fn function_words(language: &str) -> FunctionWords {
    let k = FUNCTION_WORDS.iter().chain(OTHER_FUNCTION_WORDS).position(|(code, _)| *code == language);
    FunctionWords(k.map_or(0, |k| 1 << k))
}

/// Whether `word` is one of the commonest function words of `language`
/// ([`function_words`]`(language).contains(word)`).
pub fn is_function_word(language: &str, word: &str) -> bool {
    function_words(language).contains(word)
}

fn latin(text: &str) -> &'static str {
    // A word in k lists counts 1/k for each: shared words barely move the
    // balance, a language's own words decide it.
    let mut hits = [0f64; FUNCTION_WORDS.len()];
    let mut word = String::new();
    let mut chars = text.chars().take(SAMPLE_CHARS).peekable();
    while chars.peek().is_some() {
        word.clear();
        for c in chars.by_ref() {
            if c.is_ascii_alphabetic() {
                word.push(c.to_ascii_lowercase());
            } else if !c.is_ascii() && c.is_alphabetic() {
                word.extend(c.to_lowercase());
            } else {
                break;
            }
        }
        if word.is_empty() {
            continue;
        }
        let Some(&mask) = WORD_LANGUAGES.get(&token_hash(&word)) else { continue };
        let mask = mask & LATIN_BITS;
        if mask == 0 {
            continue;
        }
        let share = 1.0 / mask.count_ones() as f64;
        for (k, hit) in hits.iter_mut().enumerate() {
            if mask & (1 << k) != 0 {
                *hit += share;
            }
        }
    }
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&x, &y| hits[y].total_cmp(&hits[x]).then(x.cmp(&y)));
    let (best, second) = (hits[order[0]], hits[order[1]]);
    if best >= MIN_HITS && best >= LEAD * second {
        FUNCTION_WORDS[order[0]].0
    } else {
        UNDETERMINED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_scripts_in_declaration_order() {
        assert!(ALL.iter().enumerate().all(|(i, &s)| s as usize == i));
    }

    #[test]
    fn scripts_name_their_languages() {
        for (text, code) in [
            ("Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία.", "ell"),
            ("Կառավարությունը այսօր հայտարարեց նոր միջոցառումներ", "hye"),
            ("הממשלה הודיעה היום על צעדים חדשים בכלכלה", "heb"),
            ("सरकार ने आज अर्थव्यवस्था के लिए नए उपायों की घोषणा की", "hin"),
            ("রাষ্ট্রপতি আজ নতুন পদক্ষেপের ঘোষণা দিয়েছেন", "ben"),
            ("รัฐบาลประกาศมาตรการใหม่เพื่อเศรษฐกิจในวันนี้", "tha"),
            ("정부는 오늘 경제를 위한 새로운 조치를 발표했다", "kor"),
            ("მთავრობამ დღეს ეკონომიკისთვის ახალი ზომები გამოაცხადა", "kat"),
            ("政府今天宣布了一系列新的经济措施以应对危机", "zho"),
            ("政府は今日、経済のための新しい対策を発表しました", "jpn"),
            ("ባለሥልጣናቱ ዛሬ አዲስ እርምጃዎችን አሳውቀዋል ብለዋል", "amh"),
        ] {
            assert_eq!(detect(text), code, "{text}");
        }
    }

    #[test]
    fn shared_scripts_by_letters() {
        assert_eq!(detect("Правительство объявило сегодня новые меры для экономики страны."), "rus");
        assert_eq!(detect("Уряд сьогодні оголосив нові заходи для економіки країни та її регіонів."), "ukr");
        assert_eq!(detect("Влада је данас објавила нове мере за привреду и њене грађане."), "srp");
        assert_eq!(detect("أعلنت الحكومة اليوم عن إجراءات جديدة للاقتصاد في المدينة"), "arb");
        assert_eq!(detect("دولت امروز اقدامات جدیدی برای اقتصاد کشور اعلام کرد که گفته می‌شود"), "fas");
        assert_eq!(detect("حکومت نے آج معیشت کے لیے نئے اقدامات کا اعلان کیا ہے اور بڑے"), "urd");
    }

    #[test]
    fn latin_script_by_function_words() {
        for (text, code) in [
            ("The government announced new measures for the economy on Monday, and they were welcomed.", "eng"),
            ("Le gouvernement a annoncé de nouvelles mesures pour l'économie et elles sont bien accueillies.", "fra"),
            ("Die Regierung hat neue Maßnahmen für die Wirtschaft angekündigt, und sie wurden begrüßt.", "deu"),
            ("El gobierno anunció nuevas medidas para la economía y los mercados las recibieron con calma.", "spa"),
            ("O governo anunciou novas medidas para a economia e os mercados não reagiram com pânico.", "por"),
            ("Il governo ha annunciato nuove misure per l'economia e gli investitori sono stati cauti.", "ita"),
            ("De regering heeft nieuwe maatregelen voor de economie aangekondigd en die zijn goed ontvangen.", "nld"),
            ("Rząd ogłosił nowe środki dla gospodarki i nie jest to pierwszy raz, że tak się dzieje.", "pol"),
            ("Hükümet bugün ekonomi için yeni önlemler açıkladı ve bu kararlar çok daha önemli olarak görüldü.", "tur"),
            ("Chính phủ đã công bố các biện pháp mới cho nền kinh tế và những người dân không lo lắng.", "vie"),
            ("Pemerintah mengumumkan langkah baru untuk ekonomi dan pasar tidak panik dengan berita itu.", "ind"),
            ("Regeringen har meddelat nya åtgärder för ekonomin och det är inte första gången som det sker.", "swe"),
        ] {
            assert_eq!(detect(text), code, "{text}");
        }
    }

    #[test]
    fn function_words_by_language() {
        assert!(is_function_word("spa", "los"));
        assert!(!is_function_word("eng", "los"));
        assert!(is_function_word("rus", "что"));
        assert!(is_function_word("ell", "και") && is_function_word("hin", "के"));
        assert!(!is_function_word("kat", "და"), "no list: nothing is a function word");
        assert!(!is_function_word(UNDETERMINED, "the"));
    }

    #[test]
    fn too_little_to_say() {
        assert_eq!(detect(""), UNDETERMINED);
        assert_eq!(detect("12345 !!! ..."), UNDETERMINED);
        assert_eq!(detect("Kishida Tokyo"), UNDETERMINED);
        // Latin letters without the function words of any listed language.
        assert_eq!(detect("Xyzzy plugh frobnicate quux wibble wobble"), UNDETERMINED);
    }

    #[test]
    fn reads_a_bounded_sample() {
        let long = "The cat sat on the mat and it was warm. ".repeat(100_000);
        assert_eq!(detect(&long), "eng");
        let mixed = format!(
            "{}{}",
            "Правительство объявило новые меры. ".repeat(1_000),
            "The cat sat on the mat. ".repeat(10_000)
        );
        assert_eq!(detect(&mixed), "rus", "only the first {SAMPLE_CHARS} characters are read");
    }
}
