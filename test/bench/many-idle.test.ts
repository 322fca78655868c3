import { MANY_IDLE, planManyIdle } from '../../bench/scenarios/connections';
import { openFileLimits } from '../../bench/lib/procs';

describe('the many-idle-users step', () => {
  it('holds the 50,000 asked for when the open-file hard limit leaves room for them', () => {
    expect(planManyIdle(MANY_IDLE, { soft: 1024, hard: 1_048_576 })).toEqual({
      requested: 50_000,
      held: 50_000,
      openFileHardLimit: 1_048_576,
    });
  });

  it('holds what fits under a lower hard limit, to the thousand, and says what capped it', () => {
    const plan = planManyIdle(MANY_IDLE, { soft: 20_000, hard: 20_000 });
    expect(plan.held).toBe(19_000);
    expect(plan.limitedBy).toMatch(/open-file hard limit \(20000\)/);
  });

  it('reads this process limits from /proc', () => {
    const { soft, hard } = openFileLimits();
    expect(soft).toBeGreaterThan(0);
    expect(hard).toBeGreaterThanOrEqual(soft);
  });
});
