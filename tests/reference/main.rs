//! The spec against the evidence of Acquire's reference pages, recorded in
//! `openapi/reference/` (copies of the project's evidence sheets):
//! `response-shapes.txt` (the member types of every documented response)
//! and `REQUESTS.md` (every documented request parameter: its place, type
//! and required flag). A later edit that narrows the spec below that
//! evidence fails here.

mod requests;
mod shapes;
mod sheet;
