import { useState } from 'react';
import { useFeatureToggle, useTelemetry } from 'telemetry-kit/react';
import { Button, Card } from '../acme-ui';
import { type ExportResult, runExport } from '../exportFlow';

export function HomePage() {
  const telemetry = useTelemetry();
  const [darkMode, setDarkMode] = useFeatureToggle('dark-mode', false);
  const [compact, setCompact] = useFeatureToggle('compact-layout', false);
  const [exporting, setExporting] = useState<string | null>(null);
  const startExport = (result: ExportResult, ms: number) => {
    setExporting('Exporting…');
    void runExport(telemetry, 'pdf', result, ms).then((ended) =>
      setExporting(ended === 'success' ? 'Export finished.' : 'Export failed.'),
    );
  };
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
        <Card title="Export report (a flow)">
          <p>
            Each export is a flow: started, then a success or a failure with its duration. Close the
            tab while one runs and it arrives as abandoned.
          </p>
          <div className="row">
            <Button variant="primary" onClick={() => startExport('success', 800)}>
              Export that succeeds
            </Button>
            <Button onClick={() => startExport('failure', 1_500)}>Export that fails</Button>
            <Button variant="ghost" onClick={() => startExport('success', 60_000)}>
              Slow export (leave the page)
            </Button>
          </div>
          <p role="status" aria-live="polite">
            {exporting}
          </p>
        </Card>
      </div>
    </div>
  );
}
