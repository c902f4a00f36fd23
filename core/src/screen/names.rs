//! Names for sanctions screening: folding to a comparable form (case, diacritics, Cyrillic
//! and Greek transliterated, punctuation, legal forms and honorifics dropped, Arabic and
//! Romance particles joined to the word they precede), a phonetic form that absorbs common
//! transliteration differences, and the Jaro-Winkler similarity.

/// Transliterates one lowercase character to ASCII letters, when there is a usual form.
fn transliterate(ch: char) -> Option<&'static str> {
    // Latin letters with diacritics, Cyrillic (Russian, Ukrainian, Belarusian, as the usual
    // English transliteration) and Greek, grouped by the letters they become.
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' | 'а' | 'α' | 'ά' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' | 'д' | 'δ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' | 'е' | 'ё' | 'э' | 'ε' | 'έ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'г' | 'ґ' | 'γ' => "g",
        'ĥ' | 'ħ' | 'ḥ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ỉ' | 'ị' | 'и' | 'і' | 'η'
        | 'ή' | 'ι' | 'ί' | 'ϊ' | 'ΐ' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'к' | 'κ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'л' | 'λ' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'н' | 'ν' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
        | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' | 'о' | 'ο' | 'ό' | 'ω' | 'ώ' => {
            "o"
        }
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' | 'р' | 'ρ' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ṣ' | 'с' | 'σ' | 'ς' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'ṭ' | 'т' | 'τ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ǔ' | 'ụ' | 'ủ' | 'ứ'
        | 'ừ' | 'ử' | 'ữ' | 'ự' | 'у' | 'ў' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' | 'й' | 'ы' | 'υ' | 'ύ' | 'ϋ' | 'ΰ' => {
            "y"
        }
        'ź' | 'ż' | 'ž' | 'ẓ' | 'з' | 'ζ' => "z",
        'þ' | 'θ' => "th",
        'б' => "b",
        'в' | 'β' => "v",
        'є' => "ye",
        'ж' => "zh",
        'ї' => "yi",
        'м' | 'μ' => "m",
        'п' | 'π' => "p",
        'ф' | 'φ' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' | 'χ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        'ξ' => "x",
        'ψ' => "ps",
        _ => return None,
    })
}

/// Words dropped from names: honorifics and legal forms say nothing about who is named.
const STOPWORDS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "sheikh",
    "shaykh",
    "haji",
    "hajji",
    "the",
    "and",
    "of",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "inc",
    "incorporated",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "pte",
    "pty",
    "pvt",
    "private",
    "public",
    "sdn",
    "bhd",
    "cv",
    "fze",
    "fzco",
    "fzc",
    "est",
];

/// Particles joined to the next word, so `bin Laden`, `Bin-Laden` and `Binladen` agree.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "abu", "abd", "abdel", "abdul", "van", "von", "der",
    "den", "de", "del", "della", "di", "da", "du", "le", "la", "mac", "mc",
];

/// The folded words of a name: lowercase ASCII where a transliteration exists (other scripts
/// kept as they are), apostrophes dropped, other punctuation separating words, honorifics and
/// legal forms dropped (unless nothing else is left), particles joined to the next word.
#[must_use]
pub fn fold(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for original in name.chars() {
        // Most listed names are ASCII, which lowercases to one character and needs no
        // transliteration.
        if original.is_ascii() {
            let ch = original.to_ascii_lowercase();
            if ch.is_ascii_alphanumeric() {
                current.push(ch);
            } else if !matches!(ch, '\'' | '`') && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        for ch in original.to_lowercase() {
            if matches!(ch, '\'' | '’' | '‘' | '`' | 'ʼ' | 'ʻ' | '´') {
                continue;
            }
            if let Some(ascii) = transliterate(ch) {
                current.push_str(ascii);
            } else if ch.is_alphanumeric() {
                current.push(ch);
            } else if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    // Initials and single letters (`S.A.`, `J.`) carry too little to compare.
    let meaningful =
        |word: &String| !STOPWORDS.contains(&word.as_str()) && word.chars().nth(1).is_some();
    if words.iter().any(meaningful) {
        words.retain(meaningful);
    }
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    let mut pending: Option<String> = None;
    let count = words.len();
    for (index, word) in words.into_iter().enumerate() {
        let particle = index + 1 < count && PARTICLES.contains(&word.as_str());
        let word = match pending.take() {
            Some(mut start) => {
                start.push_str(&word);
                start
            }
            None => word,
        };
        if particle {
            pending = Some(word);
        } else {
            joined.push(word);
        }
    }
    joined
}

/// A phonetic form of a folded word that absorbs usual transliteration differences
/// (`ph`/`f`, `kh`/`k`, `q`/`k`, `ou`/`u`, `y`/`i`, `w`/`v`, doubled letters), so that
/// `Qadhafi` and `Gaddafi`, or `Youssef` and `Yusuf`, come close.
#[must_use]
pub fn phonetic(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut push = |piece: char| {
        if !out.ends_with(piece) {
            out.push(piece);
        }
    };
    let mut rest = word;
    while let Some(ch) = rest.chars().next() {
        // (what the start of `rest` sounds as, how many bytes that takes)
        let (sound, length): (&str, usize) = match rest.as_bytes() {
            [b's', b'c', b'h', ..] => ("sh", 3),
            [b't', b'c', b'h', ..] => ("ch", 3),
            [b'p', b'h', ..] => ("f", 2),
            [b'k', b'h' | b'k', ..] | [b'c', b'k', ..] => ("k", 2),
            [b'g', b'h', ..] => ("g", 2),
            [b'd', b'h', ..] => ("d", 2),
            [b't', b'h', ..] => ("t", 2),
            [b'o', b'u' | b'o', ..] => ("u", 2),
            [b'e', b'e', ..] => ("i", 2),
            [b'c', b'h', ..] => ("c", 1),
            [b'q' | b'c', ..] => ("k", 1),
            [b'w', ..] => ("v", 1),
            [b'y', ..] => ("i", 1),
            [b'z', ..] => ("s", 1),
            _ => ("", ch.len_utf8()),
        };
        if sound.is_empty() {
            push(ch);
        } else {
            sound.chars().for_each(&mut push);
        }
        rest = rest.get(length..).unwrap_or_default();
    }
    out
}

/// The Jaro-Winkler similarity of two words (prefix scale 0.1, up to four characters).
#[must_use]
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler_of(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        jaro_winkler_of(&a, &b)
    }
}

#[allow(clippy::cast_precision_loss)] // Word lengths are tiny.
fn jaro_winkler_of<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    // The flags of matched positions live in bit sets, so no allocation is made; words
    // longer than 128 letters are compared on their first 128.
    let a = a.get(..a.len().min(128)).unwrap_or_default();
    let b = b.get(..b.len().min(128)).unwrap_or_default();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_matched, mut b_matched) = (0u128, 0u128);
    let mut matches = 0usize;
    for (i, a_item) in a.iter().enumerate() {
        let start = i.saturating_sub(window);
        let end = (i + window + 1).min(b.len());
        for j in start..end {
            if b_matched & (1 << j) == 0 && b.get(j) == Some(a_item) {
                b_matched |= 1 << j;
                a_matched |= 1 << i;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_order =
        a.iter().enumerate().filter(|(i, _)| a_matched & (1 << i) != 0).map(|(_, item)| item);
    let b_order =
        b.iter().enumerate().filter(|(j, _)| b_matched & (1 << j) != 0).map(|(_, item)| item);
    let transpositions = a_order.zip(b_order).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// How alike two folded words are: the better of their Jaro-Winkler similarity and that of
/// their phonetic forms. Words of up to three letters must be equal, since one letter makes
/// a large difference there; words whose lengths differ by more than a third are not alike
/// (Jaro-Winkler rewards a shared start, so `chin` would pass for `chickens`).
#[must_use]
pub fn word_similarity(a: &str, a_phonetic: &str, b: &str, b_phonetic: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a_length, b_length) = (a.chars().count(), b.chars().count());
    if a_length <= 3 || b_length <= 3 || a_length.min(b_length) * 3 < a_length.max(b_length) * 2 {
        return 0.0;
    }
    let direct = jaro_winkler(a, b);
    if a_phonetic == b_phonetic {
        return direct.max(0.95);
    }
    direct.max(jaro_winkler(a_phonetic, b_phonetic) * 0.98)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_scripts_and_legal_forms() {
        assert_eq!(fold("BANCO NACIONAL DE CUBA"), ["banco", "nacional", "decuba"]);
        assert_eq!(fold("Société Générale S.A."), ["societe", "generale"]);
        assert_eq!(fold("Владимир Путин"), ["vladimir", "putin"]);
        assert_eq!(fold("AL-TIKRITI, Abid Hamid"), ["altikriti", "abid", "hamid"]);
        assert_eq!(fold("Usama bin Laden"), ["usama", "binladen"]);
        assert_eq!(fold("O'Brien & Co. Ltd"), ["obrien"]);
        assert_eq!(fold("Ltd"), ["ltd"], "a name made only of legal forms keeps them");
        assert_eq!(fold("Mr Daniel Obutenrey"), ["daniel", "obutenrey"]);
    }

    #[test]
    fn phonetic_forms_absorb_transliteration() {
        assert_eq!(phonetic("qadhafi"), phonetic("kadafi"));
        assert_eq!(phonetic("youssef"), "iusef");
        assert_eq!(phonetic("yusuf"), "iusuf");
        assert_eq!(phonetic("muhammad"), "muhamad");
    }

    #[test]
    fn jaro_winkler_matches_the_textbook_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.961).abs() < 0.001);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 0.001);
        assert!((jaro_winkler("dixon", "dicksonx") - 0.813).abs() < 0.001);
        assert!(jaro_winkler("abc", "xyz").abs() < f64::EPSILON);
        assert!((jaro_winkler("путин", "путин") - 1.0).abs() < f64::EPSILON);
        assert!(jaro_winkler("", "a").abs() < f64::EPSILON);
    }

    #[test]
    fn short_words_must_agree() {
        assert!(word_similarity("ali", "ali", "alu", "alu").abs() < f64::EPSILON);
        assert!(word_similarity("in", "in", "yin", "iin").abs() < f64::EPSILON);
        assert!(word_similarity("chickens", "chikens", "chin", "chin").abs() < f64::EPSILON);
        assert!(
            word_similarity("gaddafi", &phonetic("gaddafi"), "qadhafi", &phonetic("qadhafi"))
                > 0.85
        );
    }
}
