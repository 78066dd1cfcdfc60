import { PrivacySettings } from 'telemetry-kit/react';

export function PrivacyPage() {
  return (
    <div className="page">
      <h1>Privacy</h1>
      <PrivacySettings />
    </div>
  );
}
