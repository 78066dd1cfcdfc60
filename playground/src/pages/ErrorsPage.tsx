import { useState } from 'react';
import { Button, Card } from '../acme-ui';

function Exploding(): never {
  throw new Error('Render failed for order 12345 (contact ops@example.com)');
}

export function ErrorsPage() {
  const [explode, setExplode] = useState(false);
  return (
    <div className="page">
      <h1>Errors</h1>
      <div className="grid">
        <Card title="Error boundary">
          <p>Throws during render; the boundary records an error event and shows its fallback.</p>
          <Button variant="danger" onClick={() => setExplode(true)}>
            Throw in render
          </Button>
          {explode ? <Exploding /> : null}
        </Card>
        <Card title="Unhandled rejection">
          <p>Rejects a promise nobody handles; captured as source "promise".</p>
          <Button
            variant="danger"
            onClick={() => {
              void Promise.reject(new TypeError('Payment API timed out after 3000 ms'));
            }}
          >
            Reject a promise
          </Button>
        </Card>
      </div>
    </div>
  );
}
