//! The `tradenet` command: parse, run, print `error: ...`, and exit 0, 1 or 2.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Never a panic, even when standard error is closed. Data in the message is
            // escaped and clipped where it is quoted; this bounds the rest (no raw control
            // character or escape sequence reaches the terminal, no line is unbounded).
            let msg = format!("{e:#}");
            let msg = tradenet::text::clip_lines(&msg, 5000);
            let _ = writeln!(std::io::stderr(), "error: {msg}");
            // Bad input or usage is 2; a failure of ours (or of the disk) is 1.
            let internal = e
                .downcast_ref::<tradenet::Error>()
                .is_some_and(|t| !t.is_bad_input())
                || e.downcast_ref::<std::io::Error>().is_some();
            ExitCode::from(if internal { 1 } else { 2 })
        }
    }
}
