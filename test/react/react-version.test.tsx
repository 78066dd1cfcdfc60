import { render } from '@testing-library/react';
import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { version as serverVersion } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

describe(`React ${version}`, () => {
  it('uses one copy of React everywhere (the suite runs against 18 and 19)', () => {
    expect(domVersion).toBe(version);
    expect(serverVersion).toBe(version);
    // Testing Library renders with the same copy: an element from another copy would throw.
    expect(() => render(<p>one React</p>)).not.toThrow();
  });
});
