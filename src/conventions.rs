//! What a Rust CLI user expects around the report (binary only, never the library): shell
//! completions and a man page generated from the clap definition, the terminal's width, and
//! the closing notes on standard error (where the report went, why the exit status is 1).

use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::Path;
use vigie::model::{Language, Severity};
use vigie::report::Failing;

/// The shells `vigie completions` writes for.
#[derive(Copy, Clone, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// The completion script for `shell` on `out`.
pub fn completions(shell: Shell, cmd: &mut clap::Command, out: &mut dyn Write) {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, cmd, "vigie", out);
}

/// The man page (roff) on `out`.
pub fn man(cmd: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(cmd).render(out)
}

/// Columns of the terminal on standard output, or `None` when it is not one.
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ only fills the winsize it is given.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 {
            return Some(ws.ws_col as usize);
        }
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

/// Bold on a terminal, unless the user asked for no colour (https://no-color.org).
pub fn bold_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The closing line: where the report went.
pub fn report_went(output: Option<&Path>, format: &str, lang: Language) -> String {
    match (output, lang) {
        (Some(p), Language::Fr) => format!("vigie: rapport {format} écrit dans {}", p.display()),
        (Some(p), _) => format!("vigie: {format} report written to {}", p.display()),
        (None, Language::Fr) => format!("vigie: rapport {format} écrit sur la sortie standard"),
        (None, _) => format!("vigie: {format} report written to standard output"),
    }
}

/// Why the exit status is 1: how many findings reach `--fail-on`, and the first few.
pub fn fail_on_note(failing: &Failing, fail_on: Severity) -> String {
    let mut s = format!(
        "vigie: exit 1: {} finding(s) at or above `--fail-on {}`: {}",
        failing.count,
        fail_on.as_str(),
        failing.examples.join(", ")
    );
    let more = failing.count.saturating_sub(failing.examples.len());
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}
