import { useFeatureToggle, useTelemetry } from 'telemetry-kit/react';
import { Button, Card } from '../acme-ui';

export function HomePage() {
  const telemetry = useTelemetry();
  const [darkMode, setDarkMode] = useFeatureToggle('dark-mode', false);
  const [compact, setCompact] = useFeatureToggle('compact-layout', false);
  return (
    <div className={`page${darkMode ? ' page--dark' : ''}${compact ? ' page--compact' : ''}`}>
      <h1>Home</h1>
      <p>
        Every click here is counted only after you agree in the dialog. The Privacy page shows what
        is waiting on this device and lets you download or delete it.
      </p>
      <div className="grid">
        <Card title="Features" elevated>
          <label className="toggle">
            <input
              type="checkbox"
              checked={darkMode}
              onChange={(event) => setDarkMode(event.target.checked)}
            />
            Dark mode
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              checked={compact}
              onChange={(event) => setCompact(event.target.checked)}
            />
            Compact layout
          </label>
        </Card>
        <Card title="Actions">
          <div className="row">
            <Button
              variant="primary"
              onClick={() => telemetry.featureUsed('export', { format: 'csv' })}
            >
              Export CSV
            </Button>
            <Button onClick={() => telemetry.featureUsed('export', { format: 'json' })}>
              Export JSON
            </Button>
            <Button
              variant="ghost"
              onClick={() => telemetry.track('share.clicked', { channel: 'link' })}
            >
              Share
            </Button>
          </div>
        </Card>
      </div>
    </div>
  );
}
