import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../../config/config.js';

/** The Microsoft App settings Teams needs (validated in src/config/config.ts). */
export type TeamsConfig = Pick<Config, 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID'> & {
  MICROSOFT_APP_TYPE?: Config['MICROSOFT_APP_TYPE'] | undefined;
};

/**
 * Our config as Bot Framework settings. MultiTenant and SingleTenant use the app password
 * (client secret); UserAssignedMSI uses the managed identity named by the app id (the
 * password must then be absent, botbuilder refuses it). Without an app id the adapter runs
 * in the Emulator's mode: no JWT check on incoming requests and no token on outgoing ones;
 * only for local development and the tests, never in production (main.ts only builds the
 * Teams channel when MICROSOFT_APP_ID is set).
 */
export function teamsAuthOptions(config: TeamsConfig): ConfigurationBotFrameworkAuthenticationOptions {
  const type = config.MICROSOFT_APP_TYPE ?? 'MultiTenant';
  const msi = type === 'UserAssignedMSI';
  return {
    MicrosoftAppId: config.MICROSOFT_APP_ID ?? '',
    // botbuilder compares the type case-insensitively and spells it "UserAssignedMsi".
    MicrosoftAppType: msi ? 'UserAssignedMsi' : type,
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID ?? '',
    ...(msi ? {} : { MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD ?? '' }),
  };
}

/** The Bot Framework authentication for the CloudAdapter, built from our Config. */
export function createTeamsAuth(config: TeamsConfig): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(teamsAuthOptions(config));
}
