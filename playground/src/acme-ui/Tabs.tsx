import { type ReactNode, useId, useState } from 'react';
import { useComponentTracking } from 'telemetry-kit/react';
import { library } from './meta';

export interface TabsProps {
  tabs: Array<{ id: string; label: string; content: ReactNode }>;
  orientation?: 'horizontal' | 'vertical';
}

/** WAI-ARIA tabs with arrow-key navigation. */
export function Tabs({ tabs, orientation = 'horizontal' }: TabsProps) {
  useComponentTracking('Tabs', { orientation, count: tabs.length }, library);
  const [active, setActive] = useState(tabs[0]?.id);
  const base = useId();
  const move = (delta: number) => {
    const index = tabs.findIndex((tab) => tab.id === active);
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    if (next) {
      setActive(next.id);
      document.getElementById(`${base}-${next.id}-tab`)?.focus();
    }
  };
  return (
    <div className={`acme-tabs acme-tabs--${orientation}`}>
      <div role="tablist" aria-orientation={orientation}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${base}-${tab.id}-tab`}
            aria-selected={tab.id === active}
            aria-controls={`${base}-${tab.id}-panel`}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => setActive(tab.id)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowDown') move(1);
              if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') move(-1);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${base}-${tab.id}-panel`}
          aria-labelledby={`${base}-${tab.id}-tab`}
          hidden={tab.id !== active}
        >
          {tab.content}
        </div>
      ))}
    </div>
  );
}
