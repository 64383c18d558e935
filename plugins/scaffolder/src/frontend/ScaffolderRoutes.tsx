import { Button, Group } from '@mantine/core';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from './components/NotFound';
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
      {/* Notifications moved to the notifications plugin: old links land on its page, filtered to templates. */}
      <Route path="notifications" element={<Navigate to="/notifications?source=scaffolder" replace />} />
      <Route path="*" element={<CreateNotFound />} />
    </Routes>
  );
}

function CreateNotFound() {
  const { pathname } = useLocation();
  return (
    <NotFoundPage
      title="Page not found"
      message="There is no such page"
      description={`Nothing lives at ${pathname}. Templates are at /create, their runs at /create/tasks.`}
      action={
        <Group justify="center">
          <Button component={Link} to="/create">
            Browse templates
          </Button>
          <Button component={Link} to="/create/tasks" variant="default">
            Template runs
          </Button>
        </Group>
      }
    />
  );
}
