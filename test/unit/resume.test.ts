import { describe, expect, it } from 'vitest';
import { resumePoint } from '../../src/shared/resume';

describe('resumePoint: where a panel resumes after the worker restarted', () => {
  it('resumes after its last seq with the same run, or with another run when everything it holds was on disk', () => {
    expect(resumePoint({ afterSeq: 120, boot: 'b1', written: 100 }, 'b1')).toEqual({ afterSeq: 120, startOver: false });
    expect(resumePoint({ afterSeq: 120, boot: 'b1', written: 120 }, 'b2')).toEqual({ afterSeq: 120, startOver: false });
    // Told of a later write than its last record (its rows were still on their way).
    expect(resumePoint({ afterSeq: 120, boot: 'b1', written: 130 }, 'b2')).toEqual({ afterSeq: 120, startOver: false });
  });

  it('starts over when another run finds it holding seqs past what its run said was on disk, however many runs came between', () => {
    // Heard 101–120, 100 on disk, then stopped: the next run, or one after a run that gave
    // 101–150 to other records and wrote them, is the same question.
    expect(resumePoint({ afterSeq: 120, boot: 'b1', written: 100 }, 'b2')).toEqual({ afterSeq: 0, startOver: true });
    expect(resumePoint({ afterSeq: 120, boot: 'b1', written: 100 }, 'b3')).toEqual({ afterSeq: 0, startOver: true });
    // Never told what was on disk.
    expect(resumePoint({ afterSeq: 5, boot: 'b1' }, 'b2')).toEqual({ afterSeq: 0, startOver: true });
  });

  it('never starts a one-off reader (no boot) or a first subscribe over', () => {
    expect(resumePoint({ afterSeq: 7 }, 'b2')).toEqual({ afterSeq: 7, startOver: false });
    expect(resumePoint({ afterSeq: 0, boot: 'b1', written: 0 }, 'b2')).toEqual({ afterSeq: 0, startOver: false });
    expect(resumePoint({}, 'b2')).toEqual({ afterSeq: 0, startOver: false });
  });
});
