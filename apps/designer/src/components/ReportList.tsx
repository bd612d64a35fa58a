import type { Report } from '@orderloom/schema';
import { uniqueKeys } from '../lib/uniqueKeys.ts';
import { Icon } from './Icon.tsx';

/** A plain list of lint reports, e.g. from a 422 response. */
export function ReportList({ reports }: { reports: Report[] }) {
  const keys = uniqueKeys(reports, (r) => `${r.path}|${r.message}`);
  return (
    <ul className="report-list">
      {reports.map((report, index) => (
        <li key={keys[index]} className={`report report-${report.severity}`}>
          <Icon
            name={report.severity === 'error' ? 'error' : 'alert'}
            className={report.severity === 'error' ? 'tone-danger' : 'tone-warning'}
          />
          <span className="report-message">{report.message}</span>
          <code className="report-path">{report.path || '/'}</code>
        </li>
      ))}
    </ul>
  );
}
