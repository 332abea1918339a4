// Step id → screen. The order of steps comes from the core (h2r_setup::wizard::steps).
import type { Screen } from './types';
import { screen as start } from './start';
import { screen as kind } from './kind';
import { screen as onprem } from './onprem';
import { screen as ldapTest } from './ldap-test';
import { screen as keypair } from './keypair';
import { screen as exchange } from './exchange';
import { screen as summary } from './summary';
import { screen as create } from './create';
import { screen as agentSetup } from './agent-setup';
import { screen as done } from './done';
import { screen as appKind } from './app-kind';
import { screen as spSignin } from './sp-signin';
import { screen as coApp } from './co-app';
import { screen as coCert } from './co-cert';
import { screen as permissions } from './permissions';
import { screen as rotate } from './rotate';
import { screen as changePassword } from './change-password';
import { screen as handoff } from './handoff';

export const SCREENS: Record<string, Screen> = Object.fromEntries(
  [start, kind, onprem, ldapTest, keypair, exchange, summary, create, agentSetup, done, appKind, spSignin, coApp, coCert, permissions, rotate, changePassword, handoff].map((s) => [s.id, s]),
);
