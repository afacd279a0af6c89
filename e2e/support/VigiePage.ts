import { expect, type Locator, type Page } from '@playwright/test';

/** The supervisor's screen, as a person (and a screen reader) finds its parts: by role and name. */
export class VigiePage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForMap();
  }

  async waitForMap(): Promise<void> {
    await this.page.waitForFunction(() => window.vigieMap?.ready === true, null, { timeout: 30_000 });
  }

  /** Waits until the map has stopped moving, loaded its tiles and drawn a frame since (instead of a fixed delay after a pan or zoom). */
  async waitForMapIdle(timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(() => window.vigieMap?.idle() === true, null, { timeout, polling: 50 });
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  get incidentList(): Locator {
    return this.page.getByRole('listbox', { name: /Incident list|Liste des incidents/ });
  }

  incident(title: string | RegExp): Locator {
    return this.incidentList.getByRole('option', { name: title });
  }

  get details(): Locator {
    return this.page.getByRole('region', { name: /Incident details|Détails de l’incident/ });
  }

  get map(): Locator {
    return this.page.getByRole('region', { name: /Map of|Carte de/ });
  }

  /** The incident id that deck.gl picks at the screen position of (lon, lat), or null. */
  async incidentDrawnAt(lon: number, lat: number): Promise<string | null> {
    return this.page.evaluate(([x, y]) => {
      const p = window.vigieMap!.project(x!, y!);
      return window.vigieMap!.pickIncident(p.x, p.y);
    }, [lon, lat]);
  }

  async clickMapAt(lon: number, lat: number): Promise<void> {
    const p = await this.page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), [lon, lat]);
    await this.page.mouse.click(p.x, p.y);
  }

  async expectIncidentOnMap(lon: number, lat: number, id: string, timeout = 10_000): Promise<void> {
    await expect.poll(() => this.incidentDrawnAt(lon, lat), { timeout, intervals: [50] }).toBe(id);
  }
}
