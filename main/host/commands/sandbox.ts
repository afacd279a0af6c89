import path from 'node:path';
import { createSandbox } from '../../core/training/sandbox';
import { writeDebrief } from '../../core/training/debrief';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';

const command: Command = {
  name: 'sandbox',
  summary: 'Create a training sandbox: one historical day of a profile in a separate profile, with a scenario',
  subcommands: ['create', 'debrief'],
  usage: `vigie sandbox create --profile DIR --day YYYY-MM-DD --out DIR [--scenario FILE] [--start HH:MM] [--speed N]
       vigie sandbox debrief --profile SANDBOX --out DIR

  --profile DIR     the profile to copy the day from (opened read-only: nothing is written to it)
  --day DAY         the historical day (UTC) the sandbox holds: its incidents, unit positions, camera
                    statuses, CAP alerts, signals, and the calendar and annotations standing that morning
                    (not the supervisor's own actions of the day: trainees take those again)
  --out DIR         a new, empty folder: the sandbox profile (its own SQLite file)
  --scenario FILE   scripted injections at offsets from the start of the exercise (docs/training.md)
  --start HH:MM     where the exercise clock starts in the day (UTC; default 00:00): what happened
                    before is there when the exercise opens, the rest arrives at its own time
  --speed N         the exercise clock's speed at the start (default 1; the trainer changes it)
Then run the exercise with \`vigie serve --profile OUT\`: the screen shows a TRAINING banner, the
day's calls arrive at their own times on the exercise clock, the scenario plays as it passes each offset, and a trainer can inject more by hand.
\`debrief\` writes debrief.html and debrief.csv: trainee actions per incident against the exercise
timeline and against what the source profile's log says was done on the day.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, day: { type: 'string' }, out: { type: 'string' }, scenario: { type: 'string' }, start: { type: 'string' }, speed: { type: 'string' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (positionals[0] === 'debrief') {
      if (!values.profile || !values.out) throw new UsageError('give --profile SANDBOX and --out DIR');
      try {
        const written = writeDebrief(path.resolve(values.profile), path.resolve(values.out));
        console.log(`debrief of ${written.rows} incidents: ${written.html}, ${written.csv}`);
        return 0;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (positionals[0] !== 'create') throw new UsageError('expected `vigie sandbox create …` or `vigie sandbox debrief …`');
    if (!values.day) throw new UsageError('give --day YYYY-MM-DD');
    if (!values.out) throw new UsageError('give --out DIR (a new folder)');
    try {
      const { copied, info, scripted } = createSandbox({
        source: path.resolve(values.profile ?? defaultProfileDir()),
        day: values.day,
        out: path.resolve(values.out),
        ...(values.scenario ? { scenarioFile: path.resolve(values.scenario) } : {}),
        ...(values.start ? { start: values.start } : {}),
        ...(values.speed ? { speed: Number(values.speed) } : {}),
      });
      const c = copied;
      console.log(
        `sandbox ${path.resolve(values.out)}: ${info.day} with ${c.incidents} incident events, ${c.unitPositions} unit positions, ${c.cameras} camera reports, ${c.alerts} CAP alerts, ` +
          `${c.otherFeedRecords} other feed records, ${c.signalBuckets} signal buckets, ${c.plannedEvents} planned events, ${c.annotations} annotations, ${c.layerSets} layer sets` +
          `${info.scenario ? `; scenario "${info.scenario.name}" (${info.scenario.injections.length} injections)` : ''}` +
          `; ${scripted} records arrive in time from ${new Date(info.startAt!).toISOString().slice(11, 16)} UTC`,
      );
      return 0;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  },
};
export default command;
