import { Route, Routes } from 'react-router';
import NotificationsPage from './pages/NotificationsPage';
import TaskListPage from './pages/TaskListPage';
import TaskPage from './pages/TaskPage';
import TemplateEditorPage from './pages/TemplateEditorPage';
import TemplateFormPage from './pages/TemplateFormPage';
import TemplateListPage from './pages/TemplateListPage';

/** Backstage's scaffolder paths under /create. */
export default function ScaffolderRoutes() {
  return (
    <Routes>
      <Route index element={<TemplateListPage />} />
      <Route path="templates/:namespace/:name" element={<TemplateFormPage />} />
      <Route path="tasks" element={<TaskListPage />} />
      <Route path="tasks/:taskId" element={<TaskPage />} />
      <Route path="edit" element={<TemplateEditorPage />} />
      <Route path="notifications" element={<NotificationsPage />} />
    </Routes>
  );
}
