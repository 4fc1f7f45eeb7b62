import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { maskPhone } from '../src/logger.js';

describe('configuration', () => {
  it('has working defaults for the embedded set-up', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATABASE_URL: 'file:./data/ouderlijn.db', LOG_LEVEL: 'info', PUBLIC_BASE_URL: 'http://localhost:3000', SEED_DEMO: true });
  });

  it('strips a trailing slash from PUBLIC_BASE_URL so signatures match', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ouderlijn.example.nl/' }).PUBLIC_BASE_URL).toBe('https://ouderlijn.example.nl');
  });

  it('names every wrong variable, and never echoes the auth token', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', TWILIO_ACCOUNT_SID: 'XY123', TWILIO_AUTH_TOKEN: 'tok3n', LOG_LEVEL: 'loud', PUBLIC_BASE_URL: 'ftp://x' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      for (const name of ['PORT', 'DATABASE_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'LOG_LEVEL', 'PUBLIC_BASE_URL']) expect(message).toContain(name);
      expect(message).toContain('"abc"');
      expect(message).not.toContain('tok3n');
    }
  });
});

describe('logging', () => {
  it('masks phone numbers', () => {
    expect(maskPhone('+31612345678')).toBe('+316******78');
    expect(maskPhone('whatsapp:+31612345678')).toBe('whatsapp:+316******78');
  });
});
