import type { AlarmKind } from '../../../common/domain/alarm';

/** A distinct tone per kind (pitch and timbre), its pitch and number of beeps by priority. */
const BASE: Record<AlarmKind, { hz: number; wave: OscillatorType }> = {
  incident: { hz: 880, wave: 'square' },
  indicator: { hz: 660, wave: 'triangle' },
  geofence: { hz: 523, wave: 'sine' },
  cap: { hz: 740, wave: 'sawtooth' },
  feed: { hz: 392, wave: 'sine' },
  hub: { hz: 587, wave: 'triangle' },
};

export interface Tone {
  hz: number;
  wave: OscillatorType;
  beeps: number;
}

export function toneFor(kind: AlarmKind, priority: number): Tone {
  const { hz, wave } = BASE[kind];
  // P1: higher and three beeps; P2: two; P3/P4: one, lower.
  return { hz: Math.round(hz * (priority === 1 ? 1.25 : priority === 2 ? 1 : 0.8)), wave, beeps: priority === 1 ? 3 : priority === 2 ? 2 : 1 };
}

let context: AudioContext | null = null;
let quiet: ReturnType<typeof setTimeout> | null = null;

/**
 * Plays the tone of an alarm at `volume` (0…1); an escalated alarm (level ≥ 1) plays louder.
 * WebAudio only: no file to load, nothing leaves the workstation. Once its last beep has ended the
 * context is suspended: a running AudioContext keeps an audio thread busy and the sound device open
 * for as long as the desk stays on, between alarms that may be hours apart.
 */
export function playTone(kind: AlarmKind, priority: number, volume: number, level = 0): void {
  if (volume <= 0 || typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  // A browser may hold audio until the page had a gesture; the tone is scheduled anyway and plays once it may.
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  const tone = toneFor(kind, priority);
  const gain = context.createGain();
  gain.gain.value = Math.min(1, volume * (level >= 1 ? 1.6 : 1)) * 0.3;
  gain.connect(context.destination);
  const beeps = tone.beeps * (level >= 1 ? 2 : 1);
  for (let i = 0; i < beeps; i++) {
    const osc = context.createOscillator();
    osc.type = tone.wave;
    osc.frequency.value = tone.hz;
    osc.connect(gain);
    const start = context.currentTime + i * 0.22;
    osc.start(start);
    osc.stop(start + 0.15);
  }
  // Suspended once this tone (and any before it) has played; a context still waiting for a gesture is left as it is.
  if (quiet !== null) clearTimeout(quiet);
  const audio = context;
  quiet = setTimeout(() => {
    quiet = null;
    if (audio.state === 'running') void audio.suspend().catch(() => undefined);
  }, ((beeps - 1) * 0.22 + 0.15) * 1000 + 500);
}
