// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--version" || a == "-V") {
        println!("h2r-setup-app {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    // Without a display GTK panics ("Failed to initialize gtk backend!"); say so plainly and
    // point at the CLI instead. Nothing here initialises the GUI before this check.
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!(
            "Hire2Retire Setup needs a graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set). \
             For unattended use run the `h2r-setup` command-line tool instead."
        );
        return ExitCode::from(2);
    }
    h2r_setup_app::run();
    ExitCode::SUCCESS
}
