//! Hire2Retire Setup desktop shell (Tauri v2). Thin: every command calls the core crate
//! (`h2r_setup`) and maps errors to `{code, message, hint}`. See `commands/`.

#![forbid(unsafe_code)]

pub mod commands;
pub mod error;
pub mod secrets;
pub mod session;

use tauri::Manager;

pub fn run() {
    // The process holds the AD password and private keys: no core file (issue 10/12).
    let hardening = h2r_setup::platform::harden_process();
    // Owner-only files from the first one (settings, log, WebKit data): issue 13.
    commands::agent::owner_only_new_files();
    let mut builder = tauri::Builder::default();

    // A second launch focuses the running wizard (must be the first plugin registered).
    // H2R_SETUP_ALLOW_MULTIPLE=1 turns this off (tests run isolated instances side by side).
    #[cfg(desktop)]
    if std::env::var_os("H2R_SETUP_ALLOW_MULTIPLE").is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
                log::info!("second launch: focused the running window");
            }
        }));
    }

    builder
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(session::Session::default())
        .setup(move |app| {
            if hardening.failures.is_empty() {
                log::info!("process hardening: core dumps off");
            } else {
                log::warn!(
                    "process hardening incomplete: {}",
                    hardening.failures.join("; ")
                );
            }
            // Windows (issue 10): the settings folder gets an owner-only access list when the
            // app creates it, so settings.json inherits it (unix: the umask above).
            #[cfg(windows)]
            if let Ok(dir) = app.path().app_data_dir() {
                if let Err(e) = h2r_setup::keys::files::create_private_dir(&dir) {
                    log::warn!("the settings folder could not be made owner-only: {e}");
                }
            }
            let _ = app;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            // --- profile, validation, steps, tables, settings (issue 2) ---
            commands::profile::validate_draft,
            commands::profile::wizard_steps,
            commands::profile::exchange_roles,
            commands::profile::graph_permissions,
            commands::profile::app_info,
            commands::profile::settings_load,
            commands::profile::settings_save,
            commands::profile::settings_remove,
            // --- about view, log folder (issue 10) ---
            commands::about::about_info,
            commands::about::open_log_folder,
            // --- secrets held in memory only (issue 2) ---
            secrets::set_ad_password,
            secrets::clear_ad_password,
            secrets::ad_password_status,
            // --- keys / agent config / rotation (issue 3) ---
            commands::keys::keys_generate,
            commands::keys::keys_cancel,
            commands::keys::keys_import,
            commands::keys::keys_import_file,
            commands::keys::keys_pending,
            commands::keys::keys_discard,
            commands::keys::agent_create,
            commands::keys::agent_folder_status,
            commands::keys::keys_rotate,
            // --- portal hand-off (issue 11, window) ---
            commands::handoff::handoff_values,
            commands::handoff::handoff_save,
            commands::agent::agent_instructions,
            commands::agent::agent_set_password,
            commands::agent::support_report_save,
            // --- ldap (issue 4) ---
            commands::ldap::ldap_check,
            commands::ldap::ldap_cancel,
            // --- microsoft identity (issue 5) ---
            commands::identity::identity_info,
            commands::identity::identity_sign_in,
            commands::identity::identity_cancel,
            commands::identity::identity_cancel_certificate,
            commands::identity::identity_consent_link,
            commands::identity::identity_admin_consent,
            commands::identity::identity_generate_certificate,
            commands::identity::identity_save_certificate,
            commands::identity::identity_load_certificate,
            commands::identity::identity_verify_customer_owned,
            // --- exchange online live check (issue 9) ---
            commands::exchange::exchange_check,
            commands::exchange::exchange_cancel,
            commands::network::network_settings,
            commands::network::network_set_proxy,
        ])
        .run(tauri::generate_context!())
        .expect("Hire2Retire Setup could not start its window");
}
