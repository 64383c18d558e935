// ${{ values.name }}: ${{ values.description or 'no description' }}
export const name = '${{ values.name }}';
