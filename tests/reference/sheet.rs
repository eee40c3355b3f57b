//! The two evidence sheets of `openapi/reference/`, parsed: what Acquire's
//! reference pages document, as recorded when the spec was checked against
//! them. They are the evidence, not the project's decisions (those are in
//! the spec).

use std::collections::BTreeMap;

/// `response-shapes.txt`: member types of every documented response.
pub const SHAPES: &str = include_str!("../../openapi/reference/response-shapes.txt");

/// `REQUESTS.md`: every documented request parameter.
pub const REQUESTS: &str = include_str!("../../openapi/reference/REQUESTS.md");

/// One step of a path of the shape sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A member of an object (`data`, `0`, `users`).
    Member(String),
    /// The elements of an array (`[]`).
    Item,
}

/// A JSON type as the shape sheet names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    Integer,
    String,
    DateTime,
    Boolean,
    Null,
}

impl Kind {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "object" => Kind::Object,
            "array" => Kind::Array,
            "integer" => Kind::Integer,
            "string" => Kind::String,
            "string(date-time)" => Kind::DateTime,
            "boolean" => Kind::Boolean,
            "null" => Kind::Null,
            other => return Err(format!("unknown type `{other}`")),
        })
    }
}

/// One line of the shape sheet: `data.rows[].lastMessage.parentId: integer|null`.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The path as written.
    pub text: String,
    pub steps: Vec<Step>,
    /// Every type the member was seen as.
    pub kinds: Vec<Kind>,
}

/// The shape sheet by section (`case_close`, `note_list`...), in order.
pub fn shapes() -> Result<BTreeMap<String, Vec<Shape>>, String> {
    let mut out: BTreeMap<String, Vec<Shape>> = BTreeMap::new();
    let mut section: Option<String> = None;
    for (number, line) in SHAPES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (line.starts_with('#') && !line.starts_with("## ")) {
            continue;
        }
        if let Some(name) = line.strip_prefix("## ") {
            section = Some(name.trim().to_owned());
            continue;
        }
        let at = || format!("response-shapes.txt line {}", number + 1);
        let name = section
            .clone()
            .ok_or_else(|| format!("{}: a path before any section", at()))?;
        let (path, kinds) = line
            .rsplit_once(": ")
            .ok_or_else(|| format!("{}: not `path: type`", at()))?;
        let kinds = kinds
            .split('|')
            .map(Kind::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{}: {e}", at()))?;
        let mut steps = Vec::new();
        for part in path.split('.') {
            let (member, items) = match part.strip_suffix("[]") {
                Some(member) => (member, true),
                None => (part, false),
            };
            steps.push(Step::Member(member.to_owned()));
            if items {
                steps.push(Step::Item);
            }
        }
        out.entry(name).or_default().push(Shape {
            text: path.to_owned(),
            steps,
            kinds,
        });
    }
    Ok(out)
}

/// Where a request parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Path,
    Query,
    Header,
    Body,
}

/// Whether the reference requires a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    /// `required=true`, or the page says it must be given.
    Yes,
    /// Required only when another parameter is absent ("not required if",
    /// "Required if").
    Conditionally,
    /// `required=false`, not stated, or only in the page's example.
    No,
}

/// A value form the reference documents for a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Integer,
    String,
    /// The string flag `"yes"`.
    YesString,
    Boolean,
    Object,
    /// An array of integers.
    Integers,
    /// An array of strings of digits.
    DigitStrings,
    /// An empty array.
    EmptyArray,
    /// An array whose elements the page does not type.
    Array,
    /// The page names no form: the spec's declared type is used.
    Unstated,
}

/// One documented parameter of an operation.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub place: Place,
    /// The form the parameter table (or the prose) gives; alternative forms
    /// named in the notes are in `also`.
    pub form: Form,
    pub also: Vec<Form>,
    pub required: Required,
    /// Backticked names in the notes (other spellings the page uses).
    pub aliases: Vec<String>,
    pub row: String,
}

/// The parameters of each documented operation, by the sheet's heading
/// (`list cases`, `reopen case (create with threadId)`...).
pub fn requests() -> Result<BTreeMap<String, Vec<Param>>, String> {
    let body = REQUESTS
        .split("## Operations")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .ok_or("REQUESTS.md has no `## Operations` section")?;
    let mut out: BTreeMap<String, Vec<Param>> = BTreeMap::new();
    for block in body.split("\n### ").skip(1) {
        let (heading, text) = block.split_once('\n').unwrap_or((block, ""));
        // `list cases (rest-apis/...)`, `send SMS (same page, block 3)`.
        let title = heading
            .split(" (rest-apis/")
            .next()
            .and_then(|t| t.split(" (same page").next())
            .unwrap_or(heading)
            .trim()
            .to_owned();
        let mut params = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('|') && !line.starts_with("|param") && !line.starts_with("|---") {
                params.extend(table_row(line, &out)?);
            } else if let Some(param) = prose(line)? {
                params.push(param);
            }
        }
        if params.is_empty() {
            return Err(format!("REQUESTS.md: `{title}` documents no parameter"));
        }
        out.insert(title, params);
    }
    Ok(out)
}

/// Every `backticked` word of `text`.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// A row `|names|in|type|req|notes|` (`create's members + ...` adds the
/// body rows of create case: the row's place is `body`).
fn table_row(line: &str, before: &BTreeMap<String, Vec<Param>>) -> Result<Vec<Param>, String> {
    let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
    // Notes may contain escaped pipes (`status\|eq\|active`).
    let [names, place, kind, required, notes @ ..] = cells.as_slice() else {
        return Err(format!("REQUESTS.md: a row without five cells: {line}"));
    };
    let notes = notes.join("|");
    let mut out = Vec::new();
    if names.starts_with("create's members") {
        out.extend(
            before
                .get("create case")
                .ok_or("REQUESTS.md: `create's members` before create case")?
                .iter()
                .filter(|param| param.place == Place::Body)
                .cloned(),
        );
    }
    let place = match *place {
        "query" => Place::Query,
        "path" => Place::Path,
        "header" => Place::Header,
        "body" => Place::Body,
        other => return Err(format!("REQUESTS.md: unknown place `{other}` in {line}")),
    };
    let required = match *required {
        "yes" if notes.contains("not required if") => Required::Conditionally,
        "yes" => Required::Yes,
        r if r.contains("must be included") => Required::Yes,
        _ if notes.contains("Required if") => Required::Conditionally,
        _ => Required::No,
    };
    let names = backticked(names);
    // An example-only member's form comes from the notes: one per name, or
    // one for all (`booleans`).
    let example_forms: Vec<&str> = notes.split(", ").collect();
    for (i, name) in names.iter().enumerate() {
        let form = match *kind {
            "ex." => {
                let text = if example_forms.len() == names.len() {
                    example_forms[i]
                } else {
                    notes.as_str()
                };
                form_of_words(text)
            }
            "integer" => Form::Integer,
            "string" => Form::String,
            "boolean" => Form::Boolean,
            "object" => Form::Object,
            "array" if notes.contains("Array of integers") => Form::Integers,
            "array" => Form::Array,
            other => return Err(format!("REQUESTS.md: unknown type `{other}` in {line}")),
        };
        let mut also = Vec::new();
        if notes.contains("integer form") && form != Form::Integer {
            also.push(Form::Integer);
        }
        out.push(Param {
            name: name.clone(),
            place,
            form,
            also,
            required,
            aliases: backticked(&notes),
            row: line.to_owned(),
        });
    }
    Ok(out)
}

/// The form named by the notes of an example-only member.
fn form_of_words(text: &str) -> Form {
    let text = text.trim();
    if text.contains("strings of digits") {
        Form::DigitStrings
    } else if text.contains("\"yes\"") {
        Form::YesString
    } else if text.contains("empty array") {
        Form::EmptyArray
    } else if text.contains("object") {
        Form::Object
    } else if text.contains("boolean") {
        Form::Boolean
    } else if text.contains("integer") || text.contains("number") {
        Form::Integer
    } else if text.contains("string") {
        Form::String
    } else {
        Form::Unstated
    }
}

/// A prose line: "`messageId`: path, integer, required." or reject's "No
/// table; `caseId` is ex. (integer form)."
fn prose(line: &str) -> Result<Option<Param>, String> {
    let names = backticked(line);
    let Some(name) = names.first() else {
        return Ok(None);
    };
    if line.starts_with(&format!("`{name}`: ")) {
        let rest = &line[name.len() + 4..];
        let fields: Vec<&str> = rest.split(['.', ' ']).collect();
        let place = if fields.contains(&"path,") {
            Place::Path
        } else if fields.contains(&"query,") {
            Place::Query
        } else {
            return Err(format!("REQUESTS.md: no place in `{line}`"));
        };
        return Ok(Some(Param {
            name: name.clone(),
            place,
            form: Form::Integer,
            also: Vec::new(),
            required: Required::Yes,
            aliases: Vec::new(),
            row: line.to_owned(),
        }));
    }
    if line.starts_with("No table;") && line.contains("is ex.") {
        return Ok(Some(Param {
            name: name.clone(),
            place: Place::Body,
            form: Form::Integer,
            also: Vec::new(),
            required: Required::No,
            aliases: Vec::new(),
            row: line.to_owned(),
        }));
    }
    Ok(None)
}
