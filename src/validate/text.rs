//! Rules shared by every text field (size, control and invisible characters), how user text is
//! quoted in messages, and the connection name.

use super::{issue, Code, ValidationError, MAX_FIELD_BYTES, MAX_NAME_CHARS};

/// Size and character checks shared by every text field. Returns the trimmed text.
pub fn check_text(s: &str) -> Result<&str, ValidationError> {
    if s.len() > MAX_FIELD_BYTES {
        return Err(issue(
            Code::FieldTooLong,
            format!(
                "This value is {} bytes long; at most {MAX_FIELD_BYTES} are accepted.",
                s.len()
            ),
            "Check that the right text was pasted.",
        ));
    }
    for ch in s.chars() {
        if ch.is_control() {
            return Err(issue(
                Code::FieldControlCharacter,
                format!(
                    "This value contains an invisible control character (U+{:04X}).",
                    ch as u32
                ),
                "Retype the value instead of pasting it; tabs and line breaks are not allowed.",
            ));
        }
        if is_invisible_format(ch) {
            return Err(issue(Code::FieldInvisibleCharacter,
                format!("This value contains an invisible formatting character (U+{:04X}).", ch as u32),
                "Retype the value; text copied from documents or chats can carry hidden direction marks or zero-width spaces."));
        }
    }
    Ok(s.trim())
}

fn is_invisible_format(ch: char) -> bool {
    matches!(ch as u32,
        0x00AD | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB
        | 0xE0000..=0xE007F)
}

/// Show user text in a message safely: bounded length.
pub(crate) fn shown(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// A connection name: non-empty, at most [`MAX_NAME_CHARS`] characters, printable.
pub fn check_name(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    if t.is_empty() {
        return Err(issue(
            Code::NameEmpty,
            "The connection name is empty.",
            "Enter a name such as “Connection-OnPremise Service”.",
        ));
    }
    let n = t.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(issue(
            Code::NameTooLong,
            format!(
                "The connection name has {n} characters; at most {MAX_NAME_CHARS} are allowed."
            ),
            "Use a shorter name.",
        ));
    }
    Ok(t.to_string())
}
