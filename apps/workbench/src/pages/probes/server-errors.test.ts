import { describe, expect, it } from 'vitest';
import { detailsOf, issuesUnder, placeIssues } from './server-errors.ts';

describe('placing the server problems', () => {
  const steps = [{ key: 'k1' }, { key: 'k2' }];
  const origins = [{ stepKey: 'k2', index: 0 }, { stepKey: 'k2', index: 1 }];
  it('puts step parameters, extractions and settings where the server names them', () => {
    const errors = placeIssues(
      [
        { path: 'definition.steps[1].params.url', message: 'step "http_1" (http): not a URL such as https://example.com/health' },
        { path: 'definition.steps[0].params.headers.Authorization', message: 'must be a secret reference' },
        { path: 'definition.steps[0].id', message: 'step id "x" is used twice' },
        { path: 'definition.extract[1].from.pattern', message: 'the regular expression does not compile' },
        { path: 'definition.extract[0].labels.pool', message: 'a label read from a key needs jsonPath extraction' },
        { path: 'definition.timeoutSeconds', message: 'the timeout must not be longer than the interval' },
        { path: 'definition.targets.hostnamePattern', message: 'a hostname pattern' },
        { path: 'definition.steps', message: 'a probe needs at least one step' },
        { path: 'definition.extract[7].metric', message: 'lost' },
      ],
      steps,
      origins,
    );
    expect(errors).toEqual({
      'step:k2:param:url': 'not a URL such as https://example.com/health',
      'step:k1:param:headers': 'must be a secret reference',
      'step:k1:step': 'step id "x" is used twice',
      'step:k2:extract:1:from': 'the regular expression does not compile',
      'step:k2:extract:0:labels': 'a label read from a key needs jsonPath extraction',
      'settings:timeoutSeconds': 'the timeout must not be longer than the interval',
      'settings:targets': 'a hostname pattern',
      general: 'a probe needs at least one step; lost',
    });
    expect(issuesUnder(errors, 'step:k2:')).toHaveLength(3);
  });

  it('reads details from a GraphQL error, ignoring malformed ones', () => {
    expect(detailsOf({ graphQLErrors: [{ extensions: { details: [{ path: 'a', message: 'b' }, { path: 1 }] } }] })).toEqual([{ path: 'a', message: 'b' }]);
    expect(detailsOf(undefined)).toEqual([]);
  });
});
