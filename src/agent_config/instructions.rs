//! Agent setup commands generated for the admin's choice: Docker on a Linux host (bash) or
//! Docker Desktop on Windows (PowerShell), and Azure Container Instances with an Azure Files
//! share mounted at `/config`. Every value the wizard knows is filled in and quoted so that no
//! name or path can break out of its quoting; only values the wizard cannot know are
//! placeholders, all of the form `__FROM_…__` and each explained in a comment and in
//! [`Instructions::placeholders`]. Secrets never appear on a command line or in the script:
//! they are prompted for and written to an owner-only env file (Docker) or passed as ACI
//! secure environment variables.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The agent image (public ECR); the tag comes from the portal.
pub const AGENT_IMAGE: &str = "public.ecr.aws/s0y8d0j7/hire2retire-onpremadagent";
/// The user ID the generated commands run the container as (and give the files to).
pub const CONTAINER_UID: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Docker,
    Aci,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shell {
    Bash,
    Powershell,
}

/// A value only the admin (portal or Azure subscription) can fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// The marker as it appears in the script (`__FROM_PORTAL_IMAGE_TAG__`).
    pub marker: String,
    /// Where to find the value.
    pub explanation: String,
}

/// The generated commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instructions {
    pub target: Target,
    pub shell: Shell,
    /// The script (one comment per command).
    pub script: String,
    pub placeholders: Vec<Placeholder>,
}

/// What the commands need to know.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub connection_name: &'a str,
    /// The agent folder the wizard wrote.
    pub dir: &'a Path,
    /// Whether the folder holds `privateKey.pem` (generated key).
    pub has_private_key: bool,
    /// The connection file (no secret) for the preflight on the agent host.
    pub connection_file: &'a Path,
    /// A CA bundle for the preflight, when a DC is trusted through a CA file.
    pub ca_file: Option<&'a Path>,
}

/// The container / resource name: the connection name, lower-case letters, digits and single
/// hyphens, 1..=63 characters, starting and ending with a letter or digit.
pub fn sanitised_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(63).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "hire2retire-agent".into()
    } else {
        out
    }
}

/// Quote for bash: one single-quoted word on one line (`'` becomes `'\''`, a line break
/// `'$'\n''`).
pub fn bash_quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str(r"'\''"),
            '\n' => out.push_str(r"'$'\n''"),
            '\r' => out.push_str(r"'$'\r''"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Quote for PowerShell: one single-quoted string (`'` and its typographic forms doubled).
pub fn ps_quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn ph(marker: &str, explanation: &str) -> Placeholder {
    Placeholder {
        marker: marker.into(),
        explanation: explanation.into(),
    }
}

const TAG: &str = "__FROM_PORTAL_IMAGE_TAG__";
const RG: &str = "__FROM_AZURE_RESOURCE_GROUP__";
const LOC: &str = "__FROM_AZURE_LOCATION__";
const STORAGE: &str = "__FROM_AZURE_STORAGE_ACCOUNT__";

fn tag_placeholder() -> Placeholder {
    ph(
        TAG,
        "The agent image tag (e.g. a v2.7.x version) shown on the Hire2Retire portal's agent page.",
    )
}

/// Generate the commands.
pub fn generate(input: &Input<'_>, target: Target, shell: Shell) -> Instructions {
    let (script, placeholders) = match (target, shell) {
        (Target::Docker, Shell::Bash) => docker_bash(input),
        (Target::Docker, Shell::Powershell) => docker_ps(input),
        (Target::Aci, Shell::Bash) => aci_bash(input),
        (Target::Aci, Shell::Powershell) => aci_ps(input),
    };
    Instructions {
        target,
        shell,
        script,
        placeholders,
    }
}

fn files(input: &Input<'_>) -> Vec<&'static str> {
    if input.has_private_key {
        vec!["privateKey.pem", "config.jwe"]
    } else {
        vec!["config.jwe"]
    }
}

fn preflight_bash(input: &Input<'_>) -> String {
    let mut s = String::new();
    s.push_str("# Preflight, on this host (where the agent connects from): the same LDAPS check the wizard ran.\n");
    s.push_str("# It needs the h2r-setup command (installed with the Linux package) and asks for the AD password.\n");
    s.push_str(&format!(
        "CONNECTION_FILE={}\n",
        bash_quote(&input.connection_file.display().to_string())
    ));
    match input.ca_file {
        Some(ca) => {
            s.push_str(&format!(
                "CA_FILE={}\n",
                bash_quote(&ca.display().to_string())
            ));
            s.push_str(
                "h2r-setup ldap check --connection \"$CONNECTION_FILE\" --ca-file \"$CA_FILE\"\n",
            );
        }
        None => s.push_str("h2r-setup ldap check --connection \"$CONNECTION_FILE\"\n"),
    }
    s
}

fn docker_bash(input: &Input<'_>) -> (String, Vec<Placeholder>) {
    let name = sanitised_name(input.connection_name);
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(
        "# Hire2Retire on-prem agent on Docker (Linux host), generated by Hire2Retire Setup.\n",
    );
    s.push_str(&format!(
        "# Values marked {TAG} come from the Hire2Retire portal; replace them before running.\n"
    ));
    s.push_str("# Stop at the first failing command.\n");
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!(
        "# The agent image; its tag is on the portal's agent page.\nIMAGE={}\n",
        bash_quote(&format!("{AGENT_IMAGE}:{TAG}"))
    ));
    s.push_str(&format!(
        "# The container's name (the connection name, made a valid name).\nNAME={}\n",
        bash_quote(&name)
    ));
    s.push_str(&format!("# The agent folder the wizard wrote (copy it to this host first if the wizard ran elsewhere).\nSOURCE_DIR={}\n", bash_quote(&input.dir.display().to_string())));
    s.push_str(&format!("# Where the agent's files live on this host; the container mounts it at /config.\nCONFIG_DIR={}\n", bash_quote(&format!("/opt/hire2retire/{name}/config"))));
    s.push_str(&format!("# The owner-only file with the agent's credentials (never on a command line).\nENV_FILE={}\n", bash_quote(&format!("/opt/hire2retire/{name}/agent.env"))));
    s.push_str(&format!("# The user ID the container runs as: it owns the files so it can read them.\nAGENT_UID={CONTAINER_UID}\n"));
    s.push_str("# Create the folder (and its parent) owned by the container user, owner-only.\n");
    s.push_str("sudo install -d -m 0700 -o \"$AGENT_UID\" -g \"$AGENT_UID\" \"$(dirname \"$CONFIG_DIR\")\" \"$CONFIG_DIR\"\n");
    let list: Vec<String> = files(input)
        .iter()
        .map(|f| format!("\"$SOURCE_DIR/{f}\""))
        .collect();
    s.push_str(&format!(
        "# Copy the files the agent reads ({}), owner-only, owned by the container user.\n",
        files(input).join(", ")
    ));
    s.push_str(&format!(
        "sudo install -m 0600 -o \"$AGENT_UID\" -g \"$AGENT_UID\" {} \"$CONFIG_DIR/\"\n",
        list.join(" ")
    ));
    s.push_str("# Ask for the agent's credentials from the portal's agent page (not echoed, not saved in this script).\n");
    s.push_str("read -r -p 'Agent user name (portal): ' AGENT_USERNAME\n");
    s.push_str("read -r -s -p 'Agent password (portal): ' AGENT_PASSWORD; echo\n");
    s.push_str("# Write them to the owner-only env file (printf is a shell builtin: nothing on a command line).\n");
    s.push_str("printf 'USERNAME=%s\\nPASSWORD=%s\\nCONFIG_PATH=/config\\nAGENT_FILES_PATH=/agent-files\\n' \"$AGENT_USERNAME\" \"$AGENT_PASSWORD\" | sudo install -m 0600 -o \"$AGENT_UID\" -g \"$AGENT_UID\" /dev/stdin \"$ENV_FILE\"\n");
    s.push_str("# Forget the password in this shell.\n");
    s.push_str("unset AGENT_PASSWORD\n");
    s.push_str("# Start the agent: restarted after a failure or reboot, the folder mounted read-only at /config.\n");
    s.push_str("sudo docker run -d --name \"$NAME\" --restart unless-stopped --user \"$AGENT_UID:$AGENT_UID\" --env-file \"$ENV_FILE\" -v \"$CONFIG_DIR:/config:ro\" \"$IMAGE\"\n");
    s.push_str(&preflight_bash(input));
    (s, vec![tag_placeholder()])
}

fn docker_ps(input: &Input<'_>) -> (String, Vec<Placeholder>) {
    let name = sanitised_name(input.connection_name);
    let mut s = String::new();
    s.push_str("# Hire2Retire on-prem agent on Docker Desktop (Windows PowerShell), generated by Hire2Retire Setup.\n");
    s.push_str(&format!(
        "# Values marked {TAG} come from the Hire2Retire portal; replace them before running.\n"
    ));
    s.push_str("# Stop at the first failing command.\n$ErrorActionPreference = 'Stop'\n");
    s.push_str(&format!(
        "# The agent image; its tag is on the portal's agent page.\n$Image = {}\n",
        ps_quote(&format!("{AGENT_IMAGE}:{TAG}"))
    ));
    s.push_str(&format!(
        "# The container's name (the connection name, made a valid name).\n$Name = {}\n",
        ps_quote(&name)
    ));
    s.push_str(&format!(
        "# The agent folder the wizard wrote.\n$SourceDir = {}\n",
        ps_quote(&input.dir.display().to_string())
    ));
    s.push_str(&format!("# Where the agent's files live on this computer; the container mounts it at /config.\n$ConfigDir = Join-Path $env:ProgramData {}\n", ps_quote(&format!("Hire2Retire\\{name}\\config"))));
    s.push_str("# The env file with the agent's credentials (never on a command line).\n$EnvFile = Join-Path (Split-Path $ConfigDir) 'agent.env'\n");
    s.push_str(
        "# Create the folder.\nNew-Item -ItemType Directory -Force -Path $ConfigDir | Out-Null\n",
    );
    for f in files(input) {
        s.push_str(&format!("# Copy {f} (read by the agent).\nCopy-Item -LiteralPath (Join-Path $SourceDir '{f}') -Destination $ConfigDir -Force\n"));
    }
    s.push_str("# Only you (and SYSTEM) may read the folder.\nicacls $ConfigDir /inheritance:r /grant:r \"${env:USERNAME}:(OI)(CI)F\" 'SYSTEM:(OI)(CI)F' | Out-Null\n");
    s.push_str("# Ask for the agent's credentials from the portal's agent page (not saved in this script).\n");
    s.push_str("$AgentUser = Read-Host 'Agent user name (portal)'\n");
    s.push_str("$Secure = Read-Host 'Agent password (portal)' -AsSecureString\n");
    s.push_str("# Write the env file, then make it readable by you only.\n");
    s.push_str("Set-Content -LiteralPath $EnvFile -Encoding ascii -Value @(\"USERNAME=$AgentUser\", \"PASSWORD=$([System.Net.NetworkCredential]::new('', $Secure).Password)\", 'CONFIG_PATH=/config', 'AGENT_FILES_PATH=/agent-files')\n");
    s.push_str("icacls $EnvFile /inheritance:r /grant:r \"${env:USERNAME}:F\" | Out-Null\n");
    s.push_str("# Start the agent: restarted after a failure or reboot, the folder mounted read-only at /config.\n");
    s.push_str(&format!("docker run -d --name $Name --restart unless-stopped --user {CONTAINER_UID}:{CONTAINER_UID} --env-file $EnvFile -v \"${{ConfigDir}}:/config:ro\" $Image\n"));
    s.push_str("# Preflight: the same LDAPS check the wizard ran (it asks for the AD password).\n");
    s.push_str(&format!(
        "$ConnectionFile = {}\n",
        ps_quote(&input.connection_file.display().to_string())
    ));
    match input.ca_file {
        Some(ca) => s.push_str(&format!(
            "h2r-setup ldap check --connection $ConnectionFile --ca-file {}\n",
            ps_quote(&ca.display().to_string())
        )),
        None => s.push_str("h2r-setup ldap check --connection $ConnectionFile\n"),
    }
    (s, vec![tag_placeholder()])
}

fn azure_placeholders() -> Vec<Placeholder> {
    vec![
        tag_placeholder(),
        ph(
            RG,
            "The Azure resource group to create the agent in (an existing one, or a new name).",
        ),
        ph(
            LOC,
            "The Azure region, e.g. westeurope (`az account list-locations -o table`).",
        ),
        ph(
            STORAGE,
            "A new storage account name: 3-24 lower-case letters and digits, unique in Azure.",
        ),
    ]
}

fn aci_bash(input: &Input<'_>) -> (String, Vec<Placeholder>) {
    let name = sanitised_name(input.connection_name);
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str("# Hire2Retire on-prem agent on Azure Container Instances, generated by Hire2Retire Setup.\n");
    s.push_str("# Needs the Azure CLI, signed in (az login). Values marked __FROM_…__ are yours to fill in (see each comment).\n");
    s.push_str("# Stop at the first failing command.\nset -euo pipefail\n");
    s.push_str(&format!(
        "# The agent image; its tag is on the portal's agent page.\nIMAGE={}\n",
        bash_quote(&format!("{AGENT_IMAGE}:{TAG}"))
    ));
    s.push_str(&format!(
        "# The Azure resource group for the agent.\nRESOURCE_GROUP={}\n",
        bash_quote(RG)
    ));
    s.push_str(&format!(
        "# The Azure region.\nLOCATION={}\n",
        bash_quote(LOC)
    ));
    s.push_str(&format!("# A new storage account for the agent's files (3-24 lower-case letters and digits).\nSTORAGE_ACCOUNT={}\n", bash_quote(STORAGE)));
    s.push_str(&format!(
        "# The Azure Files share mounted at /config.\nSHARE={}\n",
        bash_quote(
            &format!("{name}-config")
                .chars()
                .take(63)
                .collect::<String>()
        )
    ));
    s.push_str(&format!(
        "# The container group's name (the connection name, made a valid name).\nNAME={}\n",
        bash_quote(&name)
    ));
    s.push_str(&format!(
        "# The agent folder the wizard wrote.\nSOURCE_DIR={}\n",
        bash_quote(&input.dir.display().to_string())
    ));
    s.push_str("# Create the resource group (no change if it exists).\n");
    s.push_str(
        "az group create --name \"$RESOURCE_GROUP\" --location \"$LOCATION\" --output none\n",
    );
    s.push_str("# Create the storage account: TLS 1.2 at least, no anonymous access.\n");
    s.push_str("az storage account create --name \"$STORAGE_ACCOUNT\" --resource-group \"$RESOURCE_GROUP\" --location \"$LOCATION\" --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --output none\n");
    s.push_str(
        "# Read the storage key into this shell only (used to upload and to mount the share).\n",
    );
    s.push_str("STORAGE_KEY=\"$(az storage account keys list --resource-group \"$RESOURCE_GROUP\" --account-name \"$STORAGE_ACCOUNT\" --query '[0].value' --output tsv)\"\n");
    s.push_str("# Create the file share.\n");
    s.push_str("az storage share-rm create --resource-group \"$RESOURCE_GROUP\" --storage-account \"$STORAGE_ACCOUNT\" --name \"$SHARE\" --output none\n");
    for f in files(input) {
        s.push_str(&format!("# Upload {f} (read by the agent) to the share.\n"));
        s.push_str(&format!("az storage file upload --account-name \"$STORAGE_ACCOUNT\" --account-key \"$STORAGE_KEY\" --share-name \"$SHARE\" --source \"$SOURCE_DIR/{f}\" --output none\n"));
    }
    s.push_str("# Ask for the agent's credentials from the portal's agent page (not echoed, not saved in this script).\n");
    s.push_str("read -r -p 'Agent user name (portal): ' AGENT_USERNAME\n");
    s.push_str("read -r -s -p 'Agent password (portal): ' AGENT_PASSWORD; echo\n");
    s.push_str("# Create the container: the share at /config; the credentials as secure environment variables (not shown by Azure).\n");
    s.push_str("az container create --resource-group \"$RESOURCE_GROUP\" --name \"$NAME\" --image \"$IMAGE\" --os-type Linux --cpu 1 --memory 1.5 --restart-policy Always \\\n");
    s.push_str("  --azure-file-volume-account-name \"$STORAGE_ACCOUNT\" --azure-file-volume-account-key \"$STORAGE_KEY\" --azure-file-volume-share-name \"$SHARE\" --azure-file-volume-mount-path /config \\\n");
    s.push_str("  --environment-variables CONFIG_PATH=/config AGENT_FILES_PATH=/agent-files \\\n");
    s.push_str("  --secure-environment-variables \"USERNAME=$AGENT_USERNAME\" \"PASSWORD=$AGENT_PASSWORD\" --output none\n");
    s.push_str("# Forget the secrets in this shell.\nunset AGENT_PASSWORD STORAGE_KEY\n");
    s.push_str("# Preflight: run the same LDAPS check from a machine in the network the container uses\n# (ACI reaches your DCs only through a virtual network or a public address).\n");
    s.push_str(&preflight_bash(input));
    (s, azure_placeholders())
}

fn aci_ps(input: &Input<'_>) -> (String, Vec<Placeholder>) {
    let name = sanitised_name(input.connection_name);
    let mut s = String::new();
    s.push_str("# Hire2Retire on-prem agent on Azure Container Instances (PowerShell + Azure CLI), generated by Hire2Retire Setup.\n");
    s.push_str("# Needs the Azure CLI, signed in (az login). Values marked __FROM_…__ are yours to fill in (see each comment).\n");
    s.push_str("# Stop at the first failing command.\n$ErrorActionPreference = 'Stop'\n");
    s.push_str(&format!(
        "# The agent image; its tag is on the portal's agent page.\n$Image = {}\n",
        ps_quote(&format!("{AGENT_IMAGE}:{TAG}"))
    ));
    s.push_str(&format!(
        "# The Azure resource group for the agent.\n$ResourceGroup = {}\n",
        ps_quote(RG)
    ));
    s.push_str(&format!(
        "# The Azure region.\n$Location = {}\n",
        ps_quote(LOC)
    ));
    s.push_str(&format!("# A new storage account for the agent's files (3-24 lower-case letters and digits).\n$StorageAccount = {}\n", ps_quote(STORAGE)));
    s.push_str(&format!(
        "# The Azure Files share mounted at /config.\n$Share = {}\n",
        ps_quote(
            &format!("{name}-config")
                .chars()
                .take(63)
                .collect::<String>()
        )
    ));
    s.push_str(&format!(
        "# The container group's name (the connection name, made a valid name).\n$Name = {}\n",
        ps_quote(&name)
    ));
    s.push_str(&format!(
        "# The agent folder the wizard wrote.\n$SourceDir = {}\n",
        ps_quote(&input.dir.display().to_string())
    ));
    s.push_str("# Create the resource group (no change if it exists).\naz group create --name $ResourceGroup --location $Location --output none\n");
    s.push_str("# Create the storage account: TLS 1.2 at least, no anonymous access.\naz storage account create --name $StorageAccount --resource-group $ResourceGroup --location $Location --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --output none\n");
    s.push_str("# Read the storage key into this session only.\n$StorageKey = az storage account keys list --resource-group $ResourceGroup --account-name $StorageAccount --query '[0].value' --output tsv\n");
    s.push_str("# Create the file share.\naz storage share-rm create --resource-group $ResourceGroup --storage-account $StorageAccount --name $Share --output none\n");
    for f in files(input) {
        s.push_str(&format!("# Upload {f} (read by the agent) to the share.\naz storage file upload --account-name $StorageAccount --account-key $StorageKey --share-name $Share --source (Join-Path $SourceDir '{f}') --output none\n"));
    }
    s.push_str("# Ask for the agent's credentials from the portal's agent page (not saved in this script).\n$AgentUser = Read-Host 'Agent user name (portal)'\n$Secure = Read-Host 'Agent password (portal)' -AsSecureString\n");
    s.push_str("# Create the container: the share at /config; the credentials as secure environment variables.\n");
    s.push_str("az container create --resource-group $ResourceGroup --name $Name --image $Image --os-type Linux --cpu 1 --memory 1.5 --restart-policy Always `\n");
    s.push_str("  --azure-file-volume-account-name $StorageAccount --azure-file-volume-account-key $StorageKey --azure-file-volume-share-name $Share --azure-file-volume-mount-path /config `\n");
    s.push_str("  --environment-variables CONFIG_PATH=/config AGENT_FILES_PATH=/agent-files `\n");
    s.push_str("  --secure-environment-variables \"USERNAME=$AgentUser\" \"PASSWORD=$([System.Net.NetworkCredential]::new('', $Secure).Password)\" --output none\n");
    s.push_str("# Preflight: the same LDAPS check the wizard ran, from a machine in the agent's network (it asks for the AD password).\n");
    s.push_str(&format!(
        "$ConnectionFile = {}\n",
        ps_quote(&input.connection_file.display().to_string())
    ));
    match input.ca_file {
        Some(ca) => s.push_str(&format!(
            "h2r-setup ldap check --connection $ConnectionFile --ca-file {}\n",
            ps_quote(&ca.display().to_string())
        )),
        None => s.push_str("h2r-setup ldap check --connection $ConnectionFile\n"),
    }
    (s, azure_placeholders())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised() {
        assert_eq!(
            sanitised_name("Connection-OnPremise Service"),
            "connection-onpremise-service"
        );
        assert_eq!(sanitised_name("  $(rm -rf /) `x` 'y'"), "rm-rf-x-y");
        assert_eq!(sanitised_name("***"), "hire2retire-agent");
        assert!(sanitised_name(&"a".repeat(100)).len() <= 63);
    }
}
